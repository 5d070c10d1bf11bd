// A minimal streaming table for pdfkit: rows are drawn as they arrive and the header is repeated on
// every new page, so a long table never has to be held in memory.

export interface PdfColumn {
  header: string;
  width: number;
}

const FONT_SIZE = 8;
const PAD = 3;

export function createPdfTable(doc: PDFKit.PDFDocument, columns: readonly PdfColumn[]) {
  const left = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  function drawRow(cells: readonly string[], bold: boolean): void {
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(FONT_SIZE);
    const height = Math.max(...columns.map((c, k) => doc.heightOfString(cells[k] ?? "", { width: c.width - PAD }))) + PAD;
    if (doc.y + height > bottom()) {
      doc.addPage();
      if (!bold)
        drawRow(
          columns.map((c) => c.header),
          true,
        );
      doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(FONT_SIZE);
    }
    const top = doc.y;
    let x = left;
    columns.forEach((c, k) => {
      doc.text(cells[k] ?? "", x, top, { width: c.width - PAD });
      x += c.width;
    });
    doc.y = top + height;
    doc.x = left;
    doc
      .moveTo(left, doc.y - 1)
      .lineTo(x, doc.y - 1)
      .lineWidth(bold ? 0.8 : 0.2)
      .strokeColor(bold ? "#000000" : "#999999")
      .stroke();
  }

  return {
    header: () =>
      drawRow(
        columns.map((c) => c.header),
        true,
      ),
    row: (cells: readonly string[]) => drawRow(cells, false),
  };
}
