#!/usr/bin/env python3
"""decompose.py - make the report font omsec-cjk.ttf from a TrueType collection.

Why: Debian 12's libharu 2.3.0 subsets an embedded TrueType font by copying
the glyphs the document uses, but it does not follow the component references
of composite glyphs. WenQuanYi Micro Hei builds about 31,000 of its 49,531
glyphs (most CJK ideographs) from components, so a PDF that embeds it shows
blank boxes. This script flattens every composite glyph into a simple glyph
with the same outline, so that every glyph stands on its own.

Input: a .ttc/.ttf (font number --index, default 0), e.g.
  /usr/share/fonts/truetype/wqy/wqy-microhei.ttc (WenQuanYi Micro Hei:
  CJK ideographs plus Latin, Apache-2.0 / GPLv3 with font exception).
Output: one .ttf with
  - every composite glyph replaced by its decomposed simple outline;
  - hinting removed (fpgm, prep, cvt and glyph programs): instructions of a
    composite glyph cannot be carried over to its flattened form, and PDF
    viewers hint on their own;
  - glyph names (post format 3) and all cmaps but (3,1,4) dropped, since
    libharu copies those tables whole into every PDF;
  - layout tables libharu never reads (GSUB, GPOS, GDEF, FFTM, vhea, vmtx)
    dropped, which also drops FontForge's build timestamp in FFTM;
  - head.created/modified kept from the source font, so the same input gives
    the same bytes on every build (the build is reproducible).

Cost: one pass over all glyphs; about 20 s and 1 GB of memory for the 50k
glyphs of WenQuanYi Micro Hei, done once at build time.
"""

import argparse
import sys

from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

DROP_TABLES = ("GSUB", "GPOS", "GDEF", "FFTM", "vhea", "vmtx",
               "fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX", "DSIG")


def decompose(src, index, dst):
    """Reads font index of src, writes the flattened font to dst.

    Returns the number of composite glyphs that were decomposed.
    """
    font = TTFont(src, fontNumber=index, recalcTimestamp=False,
                  recalcBBoxes=True, lazy=False)
    if "glyf" not in font:
        raise SystemExit("decompose.py: %s: not a TrueType (glyf) font" % src)
    glyf = font["glyf"]
    glyphset = font.getGlyphSet()
    order = font.getGlyphOrder()

    # Record flattened outlines first, then replace: replacing while drawing
    # would make a later composite see an already-replaced component (same
    # outline, but the order of operations should not matter to the result).
    flat = {}
    for name in order:
        g = glyf[name]
        if not g.isComposite():
            continue
        rec = DecomposingRecordingPen(glyphset)
        glyphset[name].draw(rec)
        pen = TTGlyphPen(None)
        rec.replay(pen)
        flat[name] = pen.glyph()
    for name, g in flat.items():
        glyf[name] = g

    # Without fpgm/prep the glyph programs would reference undefined
    # functions; clear them all.
    for name in order:
        g = glyf[name]
        if hasattr(g, "program"):
            from fontTools.ttLib.tables import ttProgram
            g.program = ttProgram.Program()
            g.program.fromBytecode(b"")
    for tag in DROP_TABLES:
        if tag in font:
            del font[tag]

    maxp = font["maxp"]
    if maxp.tableVersion >= 0x00010000:
        maxp.maxComponentDepth = 0
        maxp.maxComponentElements = 0
        maxp.maxSizeOfInstructions = 0
        maxp.maxFunctionDefs = 0
        maxp.maxInstructionDefs = 0
        maxp.maxStackElements = 0
        maxp.maxStorage = 0
        maxp.maxTwilightPoints = 0

    # libharu copies post, cmap, hmtx and loca whole into every PDF (only
    # glyf is subset): drop the 49k glyph names (post format 3) and keep
    # only the Windows Unicode BMP cmap (3,1,4), the one libharu reads.
    font["post"].formatType = 3.0
    font["post"].extraNames = []
    font["post"].mapping = {}
    cmap = font["cmap"]
    cmap.tables = [t for t in cmap.tables
                   if (t.platformID, t.platEncID, t.format) == (3, 1, 4)]
    if not cmap.tables:
        raise SystemExit("decompose.py: %s: no (3,1,4) cmap" % src)

    head = font["head"]
    head.modified = head.created
    font.save(dst, reorderTables=True)
    return len(flat)


def main(argv):
    ap = argparse.ArgumentParser(
        description="Flatten composite glyphs of a TrueType font for libharu.")
    ap.add_argument("--index", type=int, default=0,
                    help="font number inside a .ttc (default 0)")
    ap.add_argument("src", help="source .ttc or .ttf")
    ap.add_argument("dst", help="output .ttf")
    args = ap.parse_args(argv)
    tmp = args.dst + ".tmp"
    n = decompose(args.src, args.index, tmp)
    # Check what was written before putting it in place: no composite may
    # remain, and a Latin and a CJK character must map to glyphs.
    check = TTFont(tmp, lazy=False)
    glyf = check["glyf"]
    left = sum(1 for name in check.getGlyphOrder() if glyf[name].isComposite())
    cmap = check.getBestCmap()
    if left or ord("A") not in cmap or 0x62A5 not in cmap:  # 报
        raise SystemExit("decompose.py: %s: check failed (%d composites left)"
                         % (tmp, left))
    import os
    os.replace(tmp, args.dst)
    print("decompose.py: %s: %d composite glyphs flattened, %d glyphs"
          % (args.dst, n, len(check.getGlyphOrder())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
