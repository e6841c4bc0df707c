/**
 * Product descriptions arrive as HTML (Shopify's "Body (HTML)", sometimes Google's description); Vitrine keeps
 * plain text. This turns HTML into readable text in one linear pass, without an HTML parser or regular
 * expressions that could backtrack: tags are dropped (block ends and <br> become line breaks, list items a
 * bullet), the contents of script, style, template, iframe, object and svg are dropped whole, comments are
 * dropped, and character references are decoded. The result is never interpreted as HTML again, so nothing in
 * it can run; it is text for a text field.
 */

/** Elements whose contents are not text a shopper should read. */
const DROPPED = new Set([
  'script',
  'style',
  'template',
  'iframe',
  'object',
  'svg',
  'noscript',
  'head',
  'title',
]);

/** Elements after which a paragraph break is kept. */
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'header',
  'footer',
  'blockquote',
  'ul',
  'ol',
  'table',
  'tr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'hr',
  'dl',
]);

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  times: '×',
  deg: '°',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  middot: '·',
  bull: '•',
  shy: '',
};

/** Decodes character references (`&amp;`, `&#233;`, `&#xE9;`); unknown ones are left as written. */
export function decodeEntities(text: string): string {
  return text.replace(
    /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});/g,
    (whole, ref: string) => {
      if (ref.startsWith('#')) {
        const code =
          ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
        return valid ? String.fromCodePoint(code) : '\uFFFD';
      }
      return NAMED[ref] ?? whole;
    },
  );
}

/** Whitespace in HTML text is one space wherever it is; only tags make line breaks. */
const collapse = (text: string): string => text.replace(/\s+/g, ' ');

/**
 * Plain text of an HTML fragment; see the module comment. Whitespace collapses as a browser would; lines are
 * trimmed and at most one blank line is kept.
 */
export function htmlToText(html: string): string {
  let out = '';
  let i = 0;
  const length = html.length;
  const lower = html.toLowerCase();
  while (i < length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out += collapse(html.slice(i));
      break;
    }
    out += collapse(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? length : end + 3;
      continue;
    }
    const tag = /^<\/?([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(lt, lt + 40));
    if (!tag) {
      // A '<' that opens no tag ("3 < 4") is text.
      if (html[lt + 1] === '!' || html[lt + 1] === '?') {
        const end = html.indexOf('>', lt);
        i = end < 0 ? length : end + 1;
      } else {
        out += '<';
        i = lt + 1;
      }
      continue;
    }
    const end = tagEnd(html, lt);
    const name = (tag[1] ?? '').toLowerCase();
    const closing = html[lt + 1] === '/';
    i = end;
    if (!closing && DROPPED.has(name)) {
      const close = lower.indexOf(`</${name}`, end);
      i = close < 0 ? length : tagEnd(html, close);
      continue;
    }
    if (name === 'br') out += '\n';
    else if (name === 'li') out += closing ? '' : '\n• ';
    else if (BLOCK.has(name)) out += '\n\n';
    else if (name === 'td' || name === 'th') out += closing ? ' ' : '';
  }
  return decodeEntities(out)
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Index just past the `>` that ends the tag opening at `start`, skipping `>` inside attribute values quoted
 * after `=` (an apostrophe elsewhere, as in `<a title=don't>`, quotes nothing).
 */
function tagEnd(html: string, start: number): number {
  let quote = '';
  let afterEquals = false;
  for (let i = start + 1; i < html.length; i += 1) {
    const c = html[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '>') return i + 1;
    if ((c === '"' || c === "'") && afterEquals) quote = c;
    if (c === '=') afterEquals = true;
    else if (c !== ' ' && c !== '\t' && c !== '\n') afterEquals = false;
  }
  return html.length;
}
