//! The chromedriver process and the browsers it drives, through `fantoccini` (the WebDriver
//! client), plus chromedriver's DevTools passthrough (`/goog/cdp/execute`) as one custom command.
//! Chromium runs headless with the flags this machine needs and a fresh profile per test.

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::Mutex,
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator, wd::WebDriverCompatibleCommand};
use serde_json::{Value, json};
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
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": binary,
                "args": args,
                "prefs": {
                    "download.default_directory": downloads,
                    "download.prompt_for_download": false,
                },
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        // chromedriver listens on localhost over plain HTTP: no TLS connector.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&self.base)
            .await
            .unwrap_or_else(|e| panic!("no browser session: {e}"));
        let session = client
            .session_id()
            .await
            .unwrap()
            .expect("a W3C session has an id");
        self.sessions.lock().unwrap().push(session);
        self.folders
            .lock()
            .unwrap()
            .extend([profile.to_owned(), downloads.to_owned()]);
        let browser = Browser { client };
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

/// chromedriver's DevTools passthrough, which WebDriver itself does not have.
#[derive(Debug)]
struct DevTools {
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.cmd, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// One browser session.
pub struct Browser {
    client: Client,
}

impl Browser {
    /// Runs a DevTools command in the page.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(DevTools {
                cmd: cmd.to_owned(),
                params,
            })
            .await
            .unwrap_or_else(|e| panic!("DevTools {cmd}: {e}"))
    }

    async fn cdp_try(&self, cmd: &str, params: Value) {
        let _ = self
            .client
            .issue_cmd(DevTools {
                cmd: cmd.to_owned(),
                params,
            })
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
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    pub async fn url(&self) -> String {
        self.client.current_url().await.unwrap().to_string()
    }

    async fn element(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
    }

    /// Waits (up to 20 s) for an element to exist, returning its text.
    pub async fn wait_for(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(found) = self.client.find(Locator::Css(css)).await {
                return found.text().await.unwrap_or_default();
            }
            if Instant::now() > deadline {
                let source = self.client.source().await.unwrap_or_default();
                panic!("no {css} on {}: {source}", self.url().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.element(css).await.text().await.unwrap()
    }

    pub async fn click(&self, css: &str) {
        self.element(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        self.element(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Runs a script in the page and returns its value (a promise is awaited).
    pub async fn run(&self, script: &str) -> Value {
        let wrapped = format!(
            "const done = arguments[arguments.length - 1]; Promise.resolve((async () => {{ {script} }})()).then(done, (e) => done('error: ' + e));"
        );
        self.client
            .execute_async(&wrapped, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}"))
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
        let png = self.client.screenshot().await.unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
