//! Who the client is behind a reverse proxy: `X-Forwarded-For` is believed only when the
//! connection comes from a trusted proxy (`CSSD_TRUSTED_PROXIES`), and then only as far back as
//! the chain runs through trusted proxies, so a client cannot name an address of its choice
//! (the login throttle and the logs count the client, not the proxy).

use std::net::{IpAddr, SocketAddr};

use http::HeaderMap;
use ipnet::IpNet;

/// The address a request is from: the peer's, unless the peer is a trusted proxy, in which case
/// the nearest address in `X-Forwarded-For` that is not itself a trusted proxy (port 0).
pub fn client_address(peer: SocketAddr, headers: &HeaderMap, trusted: &[IpNet]) -> SocketAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if trusted.is_empty() || !is_trusted(&peer.ip()) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = None;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else { break };
        client = Some(ip);
        if !is_trusted(&ip) {
            break;
        }
    }
    match client {
        Some(ip) => SocketAddr::new(ip, 0),
        None => peer,
    }
}

/// The client's IP address as the throttles and the audit count it: the request's remote
/// address, which the server has already set to [`client_address`]'s answer.
pub fn client_ip(req: &poem::Request) -> Option<String> {
    req.remote_addr()
        .as_socket_addr()
        .map(|a| a.ip().to_string())
}

/// `203.0.113.7`, `2001:db8::1`, `203.0.113.7:4711` or `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn trusted() -> Vec<IpNet> {
        vec!["10.0.0.0/8".parse().unwrap()]
    }

    fn from(ip: &str) -> SocketAddr {
        SocketAddr::new(ip.parse().unwrap(), 5000)
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let got = client_address(from("10.0.0.2"), &headers(&["203.0.113.7"]), &trusted());
        assert_eq!(got.ip().to_string(), "203.0.113.7");
    }

    #[test]
    fn anyone_else_is_the_client_whatever_they_forward() {
        let got = client_address(from("198.51.100.9"), &headers(&["203.0.113.7"]), &trusted());
        assert_eq!(got, from("198.51.100.9"));
        let none = client_address(from("10.0.0.2"), &headers(&["203.0.113.7"]), &[]);
        assert_eq!(none, from("10.0.0.2"));
    }

    #[test]
    fn a_client_cannot_prepend_an_address_of_its_choice() {
        // The client sent "1.2.3.4"; the proxy appended the address it saw.
        let got = client_address(
            from("10.0.0.2"),
            &headers(&["1.2.3.4, 203.0.113.7", "10.0.0.9"]),
            &trusted(),
        );
        assert_eq!(got.ip().to_string(), "203.0.113.7");
    }

    #[test]
    fn garbage_or_no_header_leaves_the_last_trusted_hop() {
        assert_eq!(
            client_address(from("10.0.0.2"), &headers(&[]), &trusted()),
            from("10.0.0.2")
        );
        let got = client_address(from("10.0.0.2"), &headers(&["nonsense"]), &trusted());
        assert_eq!(got, from("10.0.0.2"));
        let ported = client_address(
            from("10.0.0.2"),
            &headers(&["[2001:db8::1]:443"]),
            &trusted(),
        );
        assert_eq!(ported.ip().to_string(), "2001:db8::1");
    }
}
