// Reads the mails the server sent, from MAIL_DIR (the SMTP sink's folder, or the server's
// own data/mail/ when it runs without SMTP).
import fs from 'node:fs';
import path from 'node:path';

export const MAIL_DIR = process.env.MAIL_DIR || 'data/mail';

function decode(raw) {
  // Undo quoted-printable soft breaks and escapes (enough for links and plain text).
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

function all() {
  if (!fs.existsSync(MAIL_DIR)) return [];
  return fs.readdirSync(MAIL_DIR).filter((f) => f.endsWith('.eml')).sort()
    .map((f) => decode(fs.readFileSync(path.join(MAIL_DIR, f), 'utf8')));
}

/** Waits for the newest mail to `address` whose text matches `pattern`. */
export async function waitForMail(address, pattern = /./, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = all().filter((m) => m.toLowerCase().includes(address.toLowerCase()) && pattern.test(m)).at(-1);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${address} matching ${pattern} within ${timeoutMs} ms`);
}

export function linkIn(mail, pathPrefix) {
  const re = new RegExp(`https?://[^\\s"<>]*${pathPrefix.replace(/[/?]/g, (c) => '\\' + c)}[^\\s"<>]*`);
  const m = mail.match(re);
  if (!m) throw new Error(`no ${pathPrefix} link in mail`);
  return m[0].replace(/&amp;|&#38;/g, '&');
}
