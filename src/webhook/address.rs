//! Which endpoint addresses a webhook may deliver to (against server-side request forgery):
//! `https://` only, and only hosts whose every address is public, unless the operator allows
//! plain HTTP (`CSSD_WEBHOOK_ALLOW_HTTP`) or private addresses (`CSSD_WEBHOOK_ALLOW_PRIVATE`).
//!
//! The URL is checked when it is saved, and the host is resolved again at each delivery by
//! [`PublicResolver`], which refuses a name that has come to point inward since.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
};

/// What the operator allows beyond public `https://` endpoints.
#[derive(Debug, Clone, Copy, Default)]
pub struct AddressRules {
    pub allow_http: bool,
    pub allow_private: bool,
}

/// Whether `ip` is reachable only from inside: loopback, private, link-local (cloud metadata
/// services live at 169.254.169.254), shared (CGNAT), unspecified, broadcast, multicast,
/// documentation and benchmarking ranges, and their IPv6 counterparts (IPv4-mapped addresses
/// are judged as the IPv4 address they carry).
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_internal_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal_v4(v4);
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (first & 0xffc0) == 0xfec0 // site-local fec0::/10
                || first == 0x2001 && v6.segments()[1] == 0x0db8 // documentation
                || first == 0x0064 && v6.segments()[1] == 0xff9b // NAT64 (embeds IPv4)
                || v6.segments()[..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible
        }
    }
}

fn is_internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space 100.64.0.0/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240 // reserved
}

/// Why an endpoint URL is refused (the message is shown to the administrator).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// Checks the form of `url` (scheme, host, no credentials) and returns its host and port.
pub fn check_form(url: &str, rules: AddressRules) -> Result<(String, u16), Refused> {
    let parsed = url::Url::parse(url).map_err(|e| Refused(format!("is not a URL: {e}")))?;
    match parsed.scheme() {
        "https" => {}
        "http" if rules.allow_http => {}
        "http" => {
            return Err(Refused(
                "must start with https:// (plain http is allowed only with CSSD_WEBHOOK_ALLOW_HTTP=true)"
                    .into(),
            ));
        }
        other => return Err(Refused(format!("must be https://, not {other}:"))),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Refused("must not carry credentials".into()));
    }
    if parsed.fragment().is_some() {
        return Err(Refused("must not have a #fragment".into()));
    }
    let host = match parsed.host() {
        Some(url::Host::Domain(d)) => d.to_owned(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        None => return Err(Refused("has no host".into())),
    };
    let port = parsed.port_or_known_default().unwrap_or(443);
    Ok((host, port))
}

/// Checks `url` whole: its form, then every address its host resolves to (or the address it
/// names) must be public unless private addresses are allowed.
pub async fn check(url: &str, rules: AddressRules) -> Result<(), Refused> {
    let (host, port) = check_form(url, rules)?;
    if rules.allow_private {
        return Ok(());
    }
    let addresses = resolve(&host, port).await?;
    if let Some(inside) = addresses.iter().find(|a| is_internal(a.ip())) {
        return Err(Refused(format!(
            "{host} resolves to {}, an address inside the network (allowed only with CSSD_WEBHOOK_ALLOW_PRIVATE=true)",
            inside.ip()
        )));
    }
    Ok(())
}

async fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, Refused> {
    if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let found: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| Refused(format!("{host} cannot be resolved: {e}")))?
        .collect();
    if found.is_empty() {
        return Err(Refused(format!("{host} resolves to no address")));
    }
    Ok(found)
}

/// A DNS resolver for the delivery client that refuses names resolving to any internal
/// address (unless allowed), so that a name cannot be pointed inward after it was saved.
#[derive(Debug, Clone)]
pub struct PublicResolver {
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for PublicResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found = resolve(&host, 0)
                .await
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            if !allow_private && let Some(inside) = found.iter().find(|a| is_internal(a.ip())) {
                return Err(Box::new(Refused(format!(
                    "{host} resolves to {}, an address inside the network",
                    inside.ip()
                )))
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The resolver as the client builder takes it.
pub fn resolver(rules: AddressRules) -> Arc<PublicResolver> {
    Arc::new(PublicResolver {
        allow_private: rules.allow_private,
    })
}

/// Whether a URL naming an IP address directly (which skips the resolver) may be delivered to.
pub fn literal_allowed(url: &str, rules: AddressRules) -> Result<(), Refused> {
    let (host, _) = check_form(url, rules)?;
    match host.parse::<IpAddr>() {
        Ok(ip) if !rules.allow_private && is_internal(ip) => {
            Err(Refused(format!("{ip} is an address inside the network")))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "41.57.64.1", "2606:4700:4700::1111"] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn only_https_without_credentials_is_accepted_by_default() {
        let strict = AddressRules::default();
        assert!(check_form("https://hooks.example.org/in", strict).is_ok());
        assert!(check_form("http://hooks.example.org/in", strict).is_err());
        assert!(check_form("ftp://hooks.example.org/in", strict).is_err());
        assert!(check_form("https://user:pw@hooks.example.org/in", strict).is_err());
        let lax = AddressRules {
            allow_http: true,
            allow_private: false,
        };
        assert!(check_form("http://hooks.example.org/in", lax).is_ok());
    }

    #[tokio::test]
    async fn loopback_and_metadata_hosts_are_refused_unless_allowed() {
        let strict = AddressRules::default();
        assert!(check("https://127.0.0.1/in", strict).await.is_err());
        assert!(
            check("https://169.254.169.254/latest", strict)
                .await
                .is_err()
        );
        assert!(check("https://[::1]:8443/in", strict).await.is_err());
        assert!(check("https://localhost/in", strict).await.is_err());
        let allowed = AddressRules {
            allow_http: true,
            allow_private: true,
        };
        assert!(check("http://127.0.0.1:9/in", allowed).await.is_ok());
    }
}
