"""The reportlab application PDF made a PDF/A-2b candidate for the archive (pypdf).

What this adds: the XMP metadata that claims PDF/A-2 level B (``pdfaid``) with the title and
dates matching the document information, an sRGB output intent with its ICC profile (from
Pillow's LittleCMS), and a file identifier. What reportlab already gives: every font embedded
(the bundled TrueType UD fonts; no standard-14 font is used), no encryption, no JavaScript,
greyscale images without transparency. What is NOT done here: a conformance check. veraPDF,
the reference validator, is a Java program in neither Debian nor PyPI, so it cannot be
installed on these machines; tests/core/signing checks the markers above structurally.
"""

from __future__ import annotations

import io
import uuid
from datetime import datetime
from xml.sax.saxutils import escape

from PIL import ImageCms
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

__all__ = ["PRODUCER", "to_pdfa"]

PRODUCER = "kakanai-kiosk (reportlab, pypdf)"


def _xmp(title: str, when: datetime) -> bytes:
    stamp = when.isoformat(timespec="seconds")
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
   <pdf:Producer>{PRODUCER}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def _pdf_date(when: datetime) -> str:
    offset = when.strftime("%z") or "+0000"
    return f"D:{when:%Y%m%d%H%M%S}{offset[:3]}'{offset[3:]}'"


def to_pdfa(pdf: bytes, *, title: str, when: datetime) -> bytes:
    """``pdf`` (one reportlab document) with PDF/A-2b metadata and output intent.

    ``when`` (timezone-aware) becomes the creation date in both the information dictionary
    and the XMP metadata, which PDF/A requires to agree.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    metadata = DecodedStreamObject()
    metadata.set_data(_xmp(title, when))
    metadata.update({NameObject("/Type"): NameObject("/Metadata"),
                     NameObject("/Subtype"): NameObject("/XML")})
    profile = DecodedStreamObject()
    profile.set_data(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB"),
        NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
        NameObject("/DestOutputProfile"): writer._add_object(profile),
    })
    root = writer.root_object
    root[NameObject("/Metadata")] = writer._add_object(metadata)
    root[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    date = _pdf_date(when)
    writer.metadata = {"/Title": title, "/Producer": PRODUCER, "/CreationDate": date,
                       "/ModDate": date}
    file_id = ByteStringObject(uuid.uuid4().bytes)
    writer._ID = ArrayObject([file_id, file_id])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
