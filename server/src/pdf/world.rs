//! The Typst world an invoice is compiled in: the library, fonts and template are built once;
//! only `/data.json` differs between invoices. Because the library stays the same value, Typst's
//! memoization carries the template's evaluation and layout of unchanged parts from one
//! render to the next (injecting the data into `sys.inputs` made a new library each time).

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// What every render shares.
pub(super) struct Assets {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    template: Source,
    data_id: FileId,
}

fn file_id(path: &str) -> FileId {
    match VirtualPath::new(path) {
        Ok(vpath) => RootedPath::new(VirtualRoot::Project, vpath).intern(),
        Err(_) => unreachable!("constant paths are valid"),
    }
}

impl Assets {
    pub(super) fn new(template: &str, fonts: impl Iterator<Item = &'static [u8]>) -> Assets {
        let fonts: Vec<Font> = fonts.flat_map(|data| Font::iter(Bytes::new(data))).collect();
        Assets {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            template: Source::new(file_id("/invoice.typ"), template.to_string()),
            data_id: file_id("/data.json"),
        }
    }

    /// A world in which the template reads `data` as `/data.json`.
    pub(super) fn with_data(&self, data: Vec<u8>) -> InvoiceWorld<'_> {
        InvoiceWorld { assets: self, data: Bytes::new(data) }
    }
}

pub(super) struct InvoiceWorld<'a> {
    assets: &'a Assets,
    data: Bytes,
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

impl World for InvoiceWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.assets.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.assets.book
    }

    fn main(&self) -> FileId {
        self.assets.template.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.assets.template.id() { Ok(self.assets.template.clone()) } else { Err(not_found(id)) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.assets.data_id { Ok(self.data.clone()) } else { Err(not_found(id)) }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.assets.fonts.get(index).cloned()
    }

    /// The template prints only the invoice's own dates.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
