/**
 * A small RFC 4180 reader for the tables brands export: Shopify's product CSV (comma) and Google Merchant
 * Center's text feed (tab). Pure: text in, records out.
 *
 * What it accepts: fields separated by the delimiter; records ended by CRLF, LF or a lone CR; a field that
 * starts with `"` is quoted and may hold delimiters, line breaks and `""` (one quote); a byte-order mark at the
 * start is dropped; blank lines are skipped. Line breaks inside quoted fields come out as `\n`. One leniency
 * over the RFC: a `"` inside an unquoted field is kept as it is (`18" wide`), as spreadsheets write it in
 * tab-separated files. What it refuses, with the line: a quoted field never closed, and text after a closing
 * quote other than a delimiter or the end of the record.
 */

/** One record and the 1-based line of the file it starts on. */
export interface DelimitedRecord {
  fields: string[];
  line: number;
}

/** The text is not a well-formed delimited file; `line` is 1-based. */
export class DelimitedSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'DelimitedSyntaxError';
  }
}

/** Reads every record of `text`; throws {@link DelimitedSyntaxError} on malformed quoting. */
export function parseDelimited(text: string, delimiter: ',' | '\t'): DelimitedRecord[] {
  const records: DelimitedRecord[] = [];
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const length = source.length;
  let line = 1;
  let i = 0;
  let fields: string[] = [];
  let recordLine = 1;

  const endRecord = (): void => {
    // A record that is one empty field is a blank line.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
  };
  /** Consumes a line break at `i` if there is one; answers whether it did. */
  const lineBreak = (): boolean => {
    const c = source[i];
    if (c === '\r') {
      i += source[i + 1] === '\n' ? 2 : 1;
    } else if (c === '\n') {
      i += 1;
    } else {
      return false;
    }
    line += 1;
    return true;
  };

  while (i < length) {
    if (fields.length === 0) recordLine = line;
    if (source[i] === '"') {
      const openedOn = line;
      i += 1;
      let value = '';
      for (;;) {
        if (i >= length) throw new DelimitedSyntaxError('a quoted field is never closed', openedOn);
        const c = source[i];
        if (c === '"') {
          if (source[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (c === '\r' || c === '\n') {
          lineBreak();
          value += '\n';
          continue;
        }
        // Copy the run of ordinary characters at once.
        let end = i + 1;
        while (end < length) {
          const d = source[end];
          if (d === '"' || d === '\r' || d === '\n') break;
          end += 1;
        }
        value += source.slice(i, end);
        i = end;
      }
      fields.push(value);
      if (i >= length) break;
      if (source[i] === delimiter) {
        i += 1;
        if (i >= length) fields.push('');
        continue;
      }
      if (lineBreak()) {
        endRecord();
        continue;
      }
      throw new DelimitedSyntaxError(
        `unexpected ${JSON.stringify(source[i])} after a closing quote: a quote inside a quoted field is written ""`,
        line,
      );
    }
    let end = i;
    while (end < length) {
      const d = source[end];
      if (d === delimiter || d === '\r' || d === '\n') break;
      end += 1;
    }
    fields.push(source.slice(i, end));
    i = end;
    if (i >= length) break;
    if (source[i] === delimiter) {
      i += 1;
      if (i >= length) fields.push('');
      continue;
    }
    lineBreak();
    endRecord();
  }
  if (fields.length > 0) endRecord();
  return records;
}
