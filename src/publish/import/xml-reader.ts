/**
 * A small, safe XML reader for product feeds (RSS 2.0 or Atom with Google's `g:` namespace). It builds a tree
 * of elements with their text, attributes, resolved namespaces and line numbers, and nothing more.
 *
 * Safe by refusal: a document type declaration (`<!DOCTYPE`, and with it every `<!ENTITY`) is refused, so no
 * entity is ever defined or expanded (no "billion laughs", no external entity reading a file or a URL); only
 * the five predefined entities and character references are decoded, any other `&name;` is an error. Nesting
 * depth and element count are bounded. Processing instructions and comments are skipped.
 */

/** One element: qualified name as written, namespace URI, local name, attributes, children and direct text. */
export interface XmlElement {
  name: string;
  /** Namespace URI the prefix (or the default namespace) is bound to; '' for none. */
  namespace: string;
  local: string;
  attributes: ReadonlyMap<string, string>;
  children: XmlElement[];
  /** Concatenated text and CDATA directly inside this element. */
  text: string;
  /** 1-based line of the start tag. */
  line: number;
}

/** The text is not well-formed XML, or uses what this reader refuses (a DTD, an undefined entity). */
export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    /** `DOCTYPE` or `ENTITY` when refused for safety rather than malformed. */
    readonly refused?: 'DOCTYPE' | 'ENTITY',
  ) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

/** Bounds on a document. */
export const XML_LIMITS = { maxDepth: 64, maxElements: 500_000 } as const;

const NAME = /[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/y;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

interface Open {
  element: XmlElement;
  scope: ReadonlyMap<string, string>;
}

/** Parses `text` into its root element; throws {@link XmlSyntaxError} with the line of the fault. */
export function parseXml(text: string): XmlElement {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let i = 0;
  let line = 1;
  let elements = 0;
  let root: XmlElement | undefined;
  const stack: Open[] = [];
  const fail = (message: string, at = line): never => {
    throw new XmlSyntaxError(message, at);
  };
  /** Moves to `to`, counting the line breaks passed. */
  const advance = (to: number): void => {
    for (let k = i; k < to; k += 1) if (source.charCodeAt(k) === 10) line += 1;
    i = to;
  };
  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;&\s]{0,32});|&/g, (whole, ref: string | undefined) => {
      if (ref === undefined) return fail('a bare "&": write it as &amp;', at);
      if (ref.startsWith('#x')) return charRef(parseInt(ref.slice(2), 16), whole, at);
      if (ref.startsWith('#')) return charRef(Number(ref.slice(1)), whole, at);
      const known = PREDEFINED[ref];
      if (known === undefined) {
        throw new XmlSyntaxError(
          `the entity ${whole} is not defined: without a DTD only &lt; &gt; &amp; &quot; &apos; and character references exist`,
          at,
          'ENTITY',
        );
      }
      return known;
    });
  const charRef = (code: number, whole: string, at: number): string => {
    const valid =
      Number.isInteger(code) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : fail(`${whole} is not a character`, at);
  };
  const addText = (raw: string, at: number, literal = false): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      if (raw.trim() !== '') fail('text outside the root element', at);
      return;
    }
    top.element.text += literal ? raw : decode(raw, at);
  };

  while (i < source.length) {
    const lt = source.indexOf('<', i);
    if (lt < 0) {
      addText(source.slice(i), line);
      advance(source.length);
      break;
    }
    if (lt > i) {
      const at = line;
      const raw = source.slice(i, lt);
      advance(lt);
      addText(raw, at);
    }
    const at = line;
    if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i + 4);
      if (end < 0) fail('a comment is never closed');
      advance(end + 3);
    } else if (source.startsWith('<![CDATA[', i)) {
      const end = source.indexOf(']]>', i + 9);
      if (end < 0) fail('a CDATA section is never closed');
      addText(source.slice(i + 9, end), at, true);
      advance(end + 3);
    } else if (source.startsWith('<!', i)) {
      const doctype = /^<!DOCTYPE/i.test(source.slice(i, i + 9));
      throw new XmlSyntaxError(
        doctype
          ? 'the feed has a <!DOCTYPE: document type declarations are refused (they can define entities that expand without bound or read other files); a product feed needs none'
          : `"${source.slice(i, i + 10)}" is not allowed here`,
        at,
        doctype ? 'DOCTYPE' : undefined,
      );
    } else if (source.startsWith('<?', i)) {
      const end = source.indexOf('?>', i + 2);
      if (end < 0) fail('a processing instruction is never closed');
      advance(end + 2);
    } else if (source[i + 1] === '/') {
      NAME.lastIndex = i + 2;
      const match = NAME.exec(source);
      const open = stack.pop();
      if (!match || !open) fail('a closing tag with nothing open');
      if (match?.[0] !== open?.element.name) {
        fail(`</${match?.[0]}> closes <${open?.element.name}> (line ${open?.element.line})`);
      }
      const gt = source.indexOf('>', NAME.lastIndex);
      if (gt < 0 || source.slice(NAME.lastIndex, gt).trim() !== '') fail('a malformed closing tag');
      advance(gt + 1);
    } else {
      NAME.lastIndex = i + 1;
      const match = NAME.exec(source);
      if (!match) fail('"<" must start a tag: write it as &lt; in text');
      if (root && stack.length === 0) fail('a second root element');
      if (stack.length >= XML_LIMITS.maxDepth) fail(`elements nest deeper than ${XML_LIMITS.maxDepth}`);
      if (++elements > XML_LIMITS.maxElements) fail(`more than ${XML_LIMITS.maxElements} elements`);
      const name = match?.[0] ?? '';
      const attributes = new Map<string, string>();
      let k = NAME.lastIndex;
      let selfClosing = false;
      for (;;) {
        while (/\s/.test(source[k] ?? '')) k += 1;
        const c = source[k];
        if (c === undefined) fail(`<${name}> is never closed`, at);
        if (c === '>') {
          k += 1;
          break;
        }
        if (c === '/' && source[k + 1] === '>') {
          k += 2;
          selfClosing = true;
          break;
        }
        NAME.lastIndex = k;
        const attr = NAME.exec(source);
        if (!attr || NAME.lastIndex === k) fail(`a malformed attribute in <${name}>`, at);
        k = NAME.lastIndex;
        while (/\s/.test(source[k] ?? '')) k += 1;
        if (source[k] !== '=') fail(`attribute ${attr?.[0]} of <${name}> has no value`, at);
        k += 1;
        while (/\s/.test(source[k] ?? '')) k += 1;
        const quote = source[k];
        if (quote !== '"' && quote !== "'") fail(`attribute ${attr?.[0]} of <${name}> is not quoted`, at);
        const end = source.indexOf(quote ?? '"', k + 1);
        if (end < 0) fail(`attribute ${attr?.[0]} of <${name}> is never closed`, at);
        const raw = source.slice(k + 1, end);
        if (raw.includes('<')) fail(`attribute ${attr?.[0]} of <${name}> holds a "<"`, at);
        if (attributes.has(attr?.[0] ?? '')) fail(`attribute ${attr?.[0]} appears twice in <${name}>`, at);
        attributes.set(attr?.[0] ?? '', decode(raw, at));
        k = end + 1;
      }
      const parentScope = stack[stack.length - 1]?.scope ?? new Map([['xml', XML_NS]]);
      let scope = parentScope;
      for (const [key, value] of attributes) {
        if (key === 'xmlns' || key.startsWith('xmlns:')) {
          if (scope === parentScope) scope = new Map(parentScope);
          (scope as Map<string, string>).set(key === 'xmlns' ? '' : key.slice(6), value);
        }
      }
      const colon = name.indexOf(':');
      const prefix = colon < 0 ? '' : name.slice(0, colon);
      const namespace = scope.get(prefix);
      if (namespace === undefined && prefix !== '')
        fail(`the prefix "${prefix}" of <${name}> is not declared`, at);
      const element: XmlElement = {
        name,
        namespace: namespace ?? '',
        local: colon < 0 ? name : name.slice(colon + 1),
        attributes,
        children: [],
        text: '',
        line: at,
      };
      const parent = stack[stack.length - 1];
      if (parent) parent.element.children.push(element);
      else root = element;
      if (!selfClosing) stack.push({ element, scope });
      advance(k);
    }
  }
  const unclosed = stack.pop();
  if (unclosed) fail(`<${unclosed.element.name}> (line ${unclosed.element.line}) is never closed`);
  if (!root) fail('no root element: this is not an XML document', 1);
  return root as XmlElement;
}
