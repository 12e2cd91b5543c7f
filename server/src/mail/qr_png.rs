//! A QR code as a PNG image, for mail (mail clients show PNG; many do not show SVG): one
//! bit per pixel, each module `scale` pixels square, a quiet zone of four modules. The
//! encoder is the PNG format's minimum (IHDR, one zlib IDAT, IEND), checked by decoding it
//! back in the test.

use flate2::Compression;
use flate2::write::ZlibEncoder;
use std::io::Write;

const QUIET: usize = 4;

/// The PNG of a QR code of `width` modules (`dark` row by row).
pub fn encode(width: usize, dark: &[bool], scale: usize) -> Option<Vec<u8>> {
    let side = (width + 2 * QUIET) * scale;
    let row_bytes = side.div_ceil(8);
    let mut raw = Vec::with_capacity((row_bytes + 1) * side);
    for y in 0..side {
        raw.push(0); // filter: none
        let mut row = vec![0xffu8; row_bytes];
        let my = (y / scale).checked_sub(QUIET);
        for x in 0..side {
            let mx = (x / scale).checked_sub(QUIET);
            let is_dark = match (mx, my) {
                (Some(mx), Some(my)) if mx < width && my < width => dark.get(my * width + mx) == Some(&true),
                _ => false,
            };
            if is_dark {
                row[x / 8] &= !(0x80 >> (x % 8));
            }
        }
        raw.extend_from_slice(&row);
    }
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    z.write_all(&raw).ok()?;
    let idat = z.finish().ok()?;
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&(side as u32).to_be_bytes());
    ihdr.extend_from_slice(&(side as u32).to_be_bytes());
    // 1 bit, greyscale, deflate, no filter method variants, no interlace.
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(b"IHDR", &ihdr[..]), (b"IDAT", &idat[..]), (b"IEND", &[][..])] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        png.extend_from_slice(&crc.finalize().to_be_bytes());
    }
    Some(png)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::ZlibDecoder;
    use std::io::Read;

    #[test]
    fn the_png_decodes_to_the_modules() {
        let (width, dark) =
            i18n::document::qr_modules("BCD\n002\n1\nSCT\n\nStudio\nDE89370400440532013000\nEUR10.00").unwrap();
        let png = encode(width, &dark, 3).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let side = u32::from_be_bytes(png[16..20].try_into().unwrap()) as usize;
        assert_eq!(side, (width + 8) * 3);
        // The IDAT chunk starts after the signature and IHDR (8 + 25 bytes).
        let len = u32::from_be_bytes(png[33..37].try_into().unwrap()) as usize;
        assert_eq!(&png[37..41], b"IDAT");
        let mut raw = Vec::new();
        ZlibDecoder::new(&png[41..41 + len]).read_to_end(&mut raw).unwrap();
        let row_bytes = side.div_ceil(8);
        let pixel = |x: usize, y: usize| raw[y * (row_bytes + 1) + 1 + x / 8] & (0x80 >> (x % 8)) == 0;
        for my in 0..width {
            for mx in 0..width {
                assert_eq!(pixel((mx + 4) * 3 + 1, (my + 4) * 3 + 1), dark[my * width + mx], "module {mx},{my}");
            }
        }
        assert!(!pixel(0, 0), "the quiet zone is white");
        let crc = crc32fast::hash(&png[12..29]);
        assert_eq!(u32::from_be_bytes(png[29..33].try_into().unwrap()), crc, "IHDR's CRC");
    }
}
