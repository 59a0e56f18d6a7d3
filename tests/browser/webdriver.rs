//! A small WebDriver client (W3C protocol plus chromedriver's DevTools passthrough) over
//! reqwest, and the chromedriver process it talks to. Chromium runs headless with the flags
//! this machine needs and a fresh profile per test.

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::Mutex,
    time::{Duration, Instant},
};

use base64::Engine;
use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const INSTALL: &str = "apt-get install -y chromium chromium-driver";

/// Where Debian puts the browser and its driver.
fn find(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().map(PathBuf::from).find(|p| p.exists())
}

/// A chromedriver process. When dropped, it closes its browsers (even after a failed test, so
/// no Chromium is left running), ends chromedriver (by its own id) and removes the browsers'
/// profile and download folders.
pub struct Driver {
    child: Child,
    port: u16,
    base: String,
    http: reqwest::Client,
    sessions: Mutex<Vec<String>>,
    folders: Mutex<Vec<PathBuf>>,
}

impl Driver {
    /// Starts chromedriver on a free port; panics naming the install command when Chromium or
    /// chromedriver is missing (these tests never pass without a browser).
    pub async fn start() -> Self {
        let driver = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])
            .unwrap_or_else(|| panic!("chromedriver is not installed; install it with: {INSTALL}"));
        find(&["/usr/lib/chromium/chromium", "/usr/bin/chromium"])
            .unwrap_or_else(|| panic!("chromium is not installed; install it with: {INSTALL}"));
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("chromedriver did not start ({e}); install with: {INSTALL}")
            });
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(resp) = http.get(format!("{base}/status")).send().await
                && let Ok(body) = resp.json::<Value>().await
                && body["value"]["ready"] == true
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Self {
            child,
            port,
            base,
            http,
            sessions: Mutex::default(),
            folders: Mutex::default(),
        }
    }

    /// A new headless browser with a fresh profile, downloading into `downloads`.
    pub async fn browser(&self, profile: &Path, downloads: &Path) -> Browser {
        let binary = find(&["/usr/lib/chromium/chromium", "/usr/bin/chromium"]).unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=360,740",
        ]
        .iter()
        .map(|a| a.to_string())
        .chain([format!("--user-data-dir={}", profile.display())])
        .collect::<Vec<_>>();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": binary,
                "args": args,
                "prefs": {
                    "download.default_directory": downloads,
                    "download.prompt_for_download": false,
                },
            },
        }}});
        let resp: Value = self
            .http
            .post(format!("{}/session", self.base))
            .json(&capabilities)
            .send()
            .await
            .expect("chromedriver answers")
            .json()
            .await
            .unwrap();
        let session = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {resp}"))
            .to_owned();
        self.sessions.lock().unwrap().push(session.clone());
        self.folders
            .lock()
            .unwrap()
            .extend([profile.to_owned(), downloads.to_owned()]);
        let browser = Browser {
            http: self.http.clone(),
            session: format!("{}/session/{session}", self.base),
        };
        browser
            .cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": true}),
            )
            .await;
        browser
            .cdp_try(
                "Browser.setDownloadBehavior",
                json!({"behavior": "allow", "downloadPath": downloads}),
            )
            .await;
        browser
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        for session in self.sessions.lock().unwrap().drain(..) {
            // A plain blocking request: this runs outside any async context.
            if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
                let _ = write!(
                    stream,
                    "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                );
                let _ = stream.read_to_end(&mut Vec::new());
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        for folder in self.folders.lock().unwrap().drain(..) {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

/// One browser session.
pub struct Browser {
    http: reqwest::Client,
    session: String,
}

impl Browser {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.session));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp: Value = req.send().await.unwrap().json().await.unwrap();
        resp
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let resp = self.call(reqwest::Method::POST, path, Some(body)).await;
        if let Some(error) = resp["value"].get("error") {
            panic!("WebDriver {path}: {error}: {}", resp["value"]["message"]);
        }
        resp["value"].clone()
    }

    /// Runs a DevTools command in the page.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.post("/goog/cdp/execute", json!({"cmd": cmd, "params": params}))
            .await
    }

    async fn cdp_try(&self, cmd: &str, params: Value) {
        let _ = self
            .call(
                reqwest::Method::POST,
                "/goog/cdp/execute",
                Some(json!({"cmd": cmd, "params": params})),
            )
            .await;
    }

    /// Sets the screen's width in CSS pixels: a phone (mobile, 740 tall) below 600, else a
    /// laptop (800 tall).
    pub async fn set_width(&self, width: u32) {
        let mobile = width < 600;
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": if mobile { 740 } else { 800 }, "deviceScaleFactor": 1, "mobile": mobile}),
        )
        .await;
    }

    /// Cuts the network (as a phone in a ward hall with no signal) or brings it back.
    pub async fn set_offline(&self, offline: bool) {
        self.cdp("Network.enable", json!({})).await;
        self.cdp(
            "Network.emulateNetworkConditions",
            json!({"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
        )
        .await;
    }

    pub async fn goto(&self, url: &str) {
        self.post("/url", json!({"url": url})).await;
    }

    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None).await["value"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn element(&self, css: &str) -> String {
        let found = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .await;
        found[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no {css}: {found}"))
            .to_owned()
    }

    /// Waits (up to 20 s) for an element to exist, returning its text.
    pub async fn wait_for(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let found = self
                .call(
                    reqwest::Method::POST,
                    "/element",
                    Some(json!({"using": "css selector", "value": css})),
                )
                .await;
            if let Some(id) = found["value"][ELEMENT_KEY].as_str() {
                return self.text_of(id).await;
            }
            if Instant::now() > deadline {
                let source = self.call(reqwest::Method::GET, "/source", None).await;
                panic!("no {css} on {}: {found} {source}", self.url().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn text_of(&self, element: &str) -> String {
        self.call(
            reqwest::Method::GET,
            &format!("/element/{element}/text"),
            None,
        )
        .await["value"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    pub async fn text(&self, css: &str) -> String {
        let id = self.element(css).await;
        self.text_of(&id).await
    }

    pub async fn click(&self, css: &str) {
        let id = self.element(css).await;
        self.post(&format!("/element/{id}/click"), json!({})).await;
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css).await;
        self.post(&format!("/element/{id}/value"), json!({"text": text}))
            .await;
    }

    /// Runs a script in the page and returns its value (a promise is awaited).
    pub async fn run(&self, script: &str) -> Value {
        self.post(
            "/execute/async",
            json!({"script": format!("const done = arguments[arguments.length - 1]; Promise.resolve((async () => {{ {script} }})()).then(done, (e) => done('error: ' + e));"), "args": []}),
        )
        .await
    }

    /// Polls `check` (a script returning true when done) for up to 20 s.
    pub async fn wait_until(&self, what: &str, check: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.run(check).await == Value::Bool(true) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting until {what}");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Saves a PNG of what the screen shows.
    pub async fn screenshot(&self, path: &Path) {
        let shot = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["value"].as_str().unwrap())
            .unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    pub async fn close(self) {
        let _ = self.call(reqwest::Method::DELETE, "", None).await;
    }
}
