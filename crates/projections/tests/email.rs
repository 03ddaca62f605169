//! E-mail through a real SMTP server started by the test (mailin-embedded): Arabic content,
//! idempotency headers, permanent and temporary failures.

#![allow(clippy::unwrap_used)]

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use mailin_embedded::response::{NO_MAILBOX, OK};
use mailin_embedded::{Handler, Response, Server, SslConfig};
use projections::delivery::{EmailChannel, SmtpSecurity, SmtpSettings};
use projections::{Deliver, DeliveryError, Message};

/// Messages received: the envelope's recipients and the raw message.
type Received = Arc<Mutex<Vec<(Vec<String>, String)>>>;

#[derive(Clone, Debug, Default)]
struct Mailbox {
    current: Vec<u8>,
    received: Received,
    recipients: Vec<String>,
}

impl Handler for Mailbox {
    fn rcpt(&mut self, to: &str) -> Response {
        if to.starts_with("nobody@") {
            NO_MAILBOX
        } else {
            OK
        }
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current.clear();
        self.recipients = to.to_vec();
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let text = String::from_utf8_lossy(&self.current).into_owned();
        self.received
            .lock()
            .unwrap()
            .push((self.recipients.clone(), text));
        OK
    }
}

/// Starts an SMTP server on a free port; returns the port and what it receives.
fn smtp_server() -> (u16, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mailbox = Mailbox::default();
    let received = mailbox.received.clone();
    let mut server = Server::new(mailbox);
    server
        .with_name("mx.test")
        .with_ssl(SslConfig::None)
        .unwrap()
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (port, received)
}

fn channel(port: u16) -> EmailChannel {
    EmailChannel::new(&SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::None,
        from: "e-Moatinet <no-reply@e-moatinet.test>".into(),
        message_id_domain: "e-moatinet.test".into(),
        timeout_seconds: 5,
        ..SmtpSettings::default()
    })
    .unwrap()
}

fn arabic_receipt() -> Message {
    Message::Email {
        language: "ar".into(),
        subject: "تم تسجيل عريضتكم".into(),
        text: "رمز المتابعة: K7Q3-9XHD-2M4PX".into(),
    }
}

/// The body of a single-part message, decoded.
fn body(raw: &str) -> String {
    let (headers, body) = raw.split_once("\r\n\r\n").unwrap();
    if headers
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        let joined: String = body.split_whitespace().collect();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(joined)
                .unwrap(),
        )
        .unwrap()
    } else {
        body.trim_end().to_owned()
    }
}

#[tokio::test]
async fn an_arabic_message_reaches_the_smtp_server_with_its_idempotency_headers() {
    let (port, received) = smtp_server();
    channel(port)
        .deliver("evt-42.receipt", "amira@example.tn", &arabic_receipt())
        .await
        .unwrap();
    let received = received.lock().unwrap();
    assert_eq!(received.len(), 1);
    let (to, raw) = &received[0];
    assert_eq!(to, &["amira@example.tn".to_owned()]);
    assert!(
        raw.contains("Message-ID: <evt-42.receipt@e-moatinet.test>"),
        "{raw}"
    );
    assert!(raw.contains("Content-Language: ar"), "{raw}");
    assert!(
        raw.contains("From: e-Moatinet <no-reply@e-moatinet.test>"),
        "{raw}"
    );
    assert_eq!(body(raw), "رمز المتابعة: K7Q3-9XHD-2M4PX");
}

#[tokio::test]
async fn a_refused_mailbox_is_a_permanent_failure() {
    let (port, received) = smtp_server();
    let error = channel(port)
        .deliver("evt-43.receipt", "nobody@example.tn", &arabic_receipt())
        .await
        .unwrap_err();
    assert!(matches!(error, DeliveryError::Permanent(_)), "{error:?}");
    assert!(received.lock().unwrap().is_empty());
}

#[tokio::test]
async fn an_unreachable_relay_is_a_temporary_failure_and_a_bad_address_a_permanent_one() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let error = channel(port)
        .deliver("evt-44", "amira@example.tn", &arabic_receipt())
        .await
        .unwrap_err();
    assert!(matches!(error, DeliveryError::Transient(_)), "{error:?}");
    let error = channel(port)
        .deliver("evt-45", "not an address", &arabic_receipt())
        .await
        .unwrap_err();
    assert!(matches!(error, DeliveryError::Permanent(_)), "{error:?}");
}
