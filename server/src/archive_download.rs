//! The archive for people: the recipient's credit note downloads by share token
//! (/i/{token}/credit-notes/{number}/pdf and …/e-invoice), and the sender's export of a
//! period as one zip (/invoices/archive.zip?from=…&to=…): every document as it went out,
//! index.csv and files.csv, as `jupiter archive export` writes them.

use crate::api::body::QueryParams;
use crate::api::error::ApiError;
use crate::client_ip::ClientIpOf;
use crate::pdf::http::kept_response;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use domain::einvoice::EInvoiceFormat;
use serde::Deserialize;
use std::io::Write;

/// A credit note of the link's invoice: its PDF (`document` = "pdf") or its e-invoice.
pub async fn credit_note_by_token(
    State(state): State<AppState>,
    ClientIpOf(client): ClientIpOf,
    Path((token, number, document)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let (note, sender) = data::shared::credit_note(&state.store, &token, &number, client).await?;
        let format = match document.as_str() {
            "pdf" => EInvoiceFormat::FacturX,
            "e-invoice" => data::einvoices::required_format(&note.as_document()).unwrap_or(EInvoiceFormat::FacturX),
            _ => return Err(ApiError::not_found("no such document")),
        };
        let kept = data::archive::credit_note_file(&state.store, &sender, &note, format).await?;
        kept_response(&kept.ok_or_else(|| ApiError::not_found("not in the archive"))?, &headers)
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

#[derive(Debug, Default, Deserialize)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
}

fn date(value: Option<&str>, field: &str) -> Result<NaiveDate, ApiError> {
    value
        .and_then(|v| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok())
        .ok_or_else(|| ApiError::bad_request(format!("{field} is a date, YYYY-MM-DD"), Some(field)))
}

/// The signed-in sender's documents issued in the period, as a zip.
pub async fn export_zip(
    State(state): State<AppState>,
    QueryParams(period): QueryParams<Period>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let name = app::server::session::cookie_name(state.web.secure_cookies);
    let secret = app::server::cookies::read(&headers, name).ok_or_else(|| ApiError::not_found("sign in first"))?;
    let (_, sender) =
        data::sessions::resolve(&state.store, &secret).await?.ok_or_else(|| ApiError::not_found("sign in first"))?;
    let (from, to) = (date(period.from.as_deref(), "from")?, date(period.to.as_deref(), "to")?);
    if to < from {
        return Err(ApiError::bad_request("to is before from", Some("to")));
    }
    let entries = data::archive::export::entries(&state.store, sender.id, from, to).await?;
    let mut zip = Zip::default();
    for entry in &entries {
        let kept = data::archive::by_seq(&state.store, sender.id, entry.seq).await?;
        zip.add(&entry.export_name(), &kept.bytes).map_err(|e| ApiError::internal("zip", &e.to_string()))?;
    }
    for (file, text) in [
        ("index.csv", data::archive::export::index_csv(&entries)?),
        ("files.csv", data::archive::export::files_csv(&entries)?),
    ] {
        zip.add(file, text.as_bytes()).map_err(|e| ApiError::internal("zip", &e.to_string()))?;
    }
    let bytes = zip.finish();
    Ok(Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/zip")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"archive-{from}-{to}.zip\""))
        .header(header::CACHE_CONTROL, "private, no-store")
        .body(Body::from(bytes))
        .unwrap_or_default())
}

/// A zip file (PKWARE APPNOTE 4.3: deflated entries, one central directory; no zip64, so
/// under 4 GiB and 65,535 files — far beyond a year of a small firm's documents).
#[derive(Default)]
struct Zip {
    out: Vec<u8>,
    central: Vec<u8>,
    count: u16,
}

impl Zip {
    fn add(&mut self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        deflater.write_all(bytes)?;
        let packed = deflater.finish()?;
        let too_big = || std::io::Error::other("the export is larger than a zip without zip64 holds");
        let (crc, size, packed_size) = (
            crc32fast::hash(bytes),
            u32::try_from(bytes.len()).map_err(|_| too_big())?,
            u32::try_from(packed.len()).map_err(|_| too_big())?,
        );
        let offset = u32::try_from(self.out.len()).map_err(|_| too_big())?;
        let name = name.as_bytes();
        let name_len = u16::try_from(name.len()).map_err(|_| too_big())?;
        // Version 2.0, UTF-8 names (bit 11), deflate, no time (1980-01-01).
        let common = |v: &mut Vec<u8>| {
            v.extend(20u16.to_le_bytes());
            v.extend((1u16 << 11).to_le_bytes());
            v.extend(8u16.to_le_bytes());
            v.extend(0u16.to_le_bytes());
            v.extend(((1u16) << 5 | 1).to_le_bytes());
            v.extend(crc.to_le_bytes());
            v.extend(packed_size.to_le_bytes());
            v.extend(size.to_le_bytes());
            v.extend(name_len.to_le_bytes());
            v.extend(0u16.to_le_bytes());
        };
        self.out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut self.out);
        self.out.extend(name);
        self.out.extend(&packed);
        self.central.extend(0x0201_4b50u32.to_le_bytes());
        self.central.extend(20u16.to_le_bytes());
        common(&mut self.central);
        // No comment, disk 0, no internal or external attributes, then where its header is.
        self.central.extend([0u8; 6]);
        self.central.extend(0u32.to_le_bytes());
        self.central.extend(offset.to_le_bytes());
        self.central.extend(name);
        self.count = self.count.checked_add(1).ok_or_else(too_big)?;
        Ok(())
    }

    fn finish(mut self) -> Vec<u8> {
        let (at, size) = (self.out.len() as u32, self.central.len() as u32);
        self.out.extend(&self.central);
        self.out.extend(0x0605_4b50u32.to_le_bytes());
        self.out.extend([0u8; 4]);
        self.out.extend(self.count.to_le_bytes());
        self.out.extend(self.count.to_le_bytes());
        self.out.extend(size.to_le_bytes());
        self.out.extend(at.to_le_bytes());
        self.out.extend(0u16.to_le_bytes());
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::Zip;

    /// The zip opens in a reader someone else wrote (Python's zipfile), names and bytes intact.
    #[test]
    fn the_zip_reads_back_in_another_reader() {
        let mut zip = Zip::default();
        let pdf: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
        zip.add("000001_ACME-0001.pdf", &pdf).unwrap();
        zip.add("index.csv", "number,type\nACME-0001,invoice\nCN-0001,credit_note\n".as_bytes()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("archive.zip");
        std::fs::write(&path, zip.finish()).unwrap();
        let script = "import sys, zipfile, hashlib\n\
                      z = zipfile.ZipFile(sys.argv[1])\n\
                      assert z.testzip() is None\n\
                      print(z.namelist())\n\
                      print(hashlib.sha256(z.read('000001_ACME-0001.pdf')).hexdigest())\n\
                      print(z.read('index.csv').decode().splitlines()[2])";
        let Ok(out) = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output() else {
            eprintln!("SKIPPED: no python3 to read the zip back");
            return;
        };
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let lines: Vec<&str> = said.lines().collect();
        assert_eq!(lines[0], "['000001_ACME-0001.pdf', 'index.csv']");
        assert_eq!(lines[1], data::archive::sha256_bytes(&pdf));
        assert_eq!(lines[2], "CN-0001,credit_note");
    }
}
