/**
 * The deck as PowerPoint, where review decks live: the summary, then one slide per figure with its headline as the
 * title, the chart as an image (2x PNG), the presenter's comment, and the source, period and filters in the notes.
 * pptxgenjs is loaded only when a deck is asked for.
 */
import type { Figure } from '../views/figure';
import type { Finding } from '../views/summary';
import { figureSvg, svgToPng } from './figure-export';

export interface DeckInput {
  title: string;
  footer: string;
  findings: Finding[];
  figures: Figure[];
  notes: Record<string, string>;
}

async function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

export async function deckPptx(x: DeckInput): Promise<Blob> {
  const { default: PptxGenJS } = await import('pptxgenjs');
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.title = x.title;
  pptx.company = 'Key Account Lens';
  const first = pptx.addSlide();
  first.addText(x.title, { x: 0.5, y: 0.3, w: 12.3, h: 0.7, fontSize: 28, bold: true });
  first.addText(
    x.findings.map((f) => ({ text: f.text, options: { bullet: { type: 'number' as const }, breakLine: true } })),
    { x: 0.6, y: 1.2, w: 12.1, h: 5.2, fontSize: 20, valign: 'top', paraSpaceAfter: 8 },
  );
  first.addNotes(x.footer);
  for (const fig of x.figures) {
    const slide = pptx.addSlide();
    slide.addText(fig.headline, { x: 0.5, y: 0.25, w: 12.3, h: 0.9, fontSize: 24, bold: true, valign: 'top' });
    // The chart alone (title and headline are the slide's own text), at the slide's proportions.
    const svg = await figureSvg({ ...fig, title: fig.title, headline: '' }, '', { width: 1200, height: 520 });
    const png = await svgToPng(svg, 2);
    slide.addImage({
      data: await dataUrl(png),
      x: 0.5,
      y: 1.2,
      w: 12.3,
      h: 5.4,
      sizing: { type: 'contain', w: 12.3, h: 5.4 },
    });
    const note = x.notes[fig.id];
    if (note) slide.addText(note, { x: 0.5, y: 6.7, w: 12.3, h: 0.5, fontSize: 16, italic: true });
    slide.addNotes(`${fig.title}. ${fig.note ? `${fig.note} ` : ''}${x.footer}`);
  }
  return (await pptx.write({ outputType: 'blob' })) as Blob;
}
