/**
 * Hide the empty sections of an issue body. A DSLP template writes every heading with a guidance
 * comment under it, so an issue filled in only in part would show a column of headings with nothing
 * below them. This works on the Markdown text, before it is rendered (and sanitized) by JupyterLab.
 *
 * A section runs from an ATX heading (`## Goals`) to the next heading of the same or a higher level
 * (fewer `#`). It is empty when nothing in it says anything: blank lines, HTML comments and
 * placeholders (a reference line without a value such as `***Prompted by:***`, GitHub's
 * `_No response_`, a bare list marker or an empty checkbox). Sub-headings of an empty section are
 * empty too and go with it. Headings and comments inside fenced code blocks are code, not structure.
 */

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const COMMENT_OPEN = '<!--';
const COMMENT_CLOSE = '-->';
const PLACEHOLDERS = [
  /^[*_]{1,3}[^*_]+:[*_]{1,3}$/, // ***Prompted by:*** with nothing after it
  /^[*_]{1,3}[^*_]+[*_]{1,3}:$/, // **Prompted by**:
  /^_no response_$/i,
  /^[-*+](?:[ \t]+\[[ xX]?\])?$/ // "-", "- [ ]"
];

/** What the scanner learned about one line of the body. */
interface ILine {
  /** The heading level (1-6) when the line is a heading outside code, else 0. */
  level: number;
  /** Whether the line carries content (anything but blanks, comments and placeholders). */
  content: boolean;
}

function isPlaceholder(text: string): boolean {
  return PLACEHOLDERS.some(pattern => pattern.test(text));
}

/** The line's text outside HTML comments, and whether a comment is still open at its end. */
function outsideComments(
  line: string,
  inComment: boolean
): { text: string; inComment: boolean } {
  let text = '';
  let rest = line;
  let open = inComment;
  for (;;) {
    if (open) {
      const close = rest.indexOf(COMMENT_CLOSE);
      if (close < 0) {
        return { text, inComment: true };
      }
      rest = rest.slice(close + COMMENT_CLOSE.length);
      open = false;
    }
    const start = rest.indexOf(COMMENT_OPEN);
    if (start < 0) {
      return { text: text + rest, inComment: false };
    }
    text += rest.slice(0, start);
    rest = rest.slice(start + COMMENT_OPEN.length);
    open = true;
  }
}

function scan(lines: string[]): ILine[] {
  const scanned: ILine[] = [];
  let fence: string | null = null; // the opening fence while inside a code block
  let inComment = false;
  for (const line of lines) {
    if (fence !== null) {
      const close = FENCE.exec(line);
      if (
        close &&
        close[1][0] === fence[0] &&
        close[1].length >= fence.length &&
        line.trim() === close[1]
      ) {
        fence = null;
      }
      scanned.push({ level: 0, content: true });
      continue;
    }
    if (!inComment) {
      const open = FENCE.exec(line);
      if (open) {
        fence = open[1];
        scanned.push({ level: 0, content: true });
        continue;
      }
      const heading = HEADING.exec(line);
      if (heading) {
        scanned.push({ level: heading[1].length, content: false });
        continue;
      }
    }
    const outside = outsideComments(line, inComment);
    inComment = outside.inComment;
    const text = outside.text.trim();
    scanned.push({ level: 0, content: text !== '' && !isPlaceholder(text) });
  }
  return scanned;
}

/** `markdown` without the headings (and the blank, comment and placeholder lines) of empty sections. */
export function hideEmptySections(markdown: string): string {
  const lines = markdown.split('\n');
  const scanned = scan(lines);
  const hidden = new Set<number>();
  scanned.forEach((heading, start) => {
    if (heading.level === 0) {
      return;
    }
    let end = start + 1;
    let empty = true;
    for (; end < scanned.length; end++) {
      const line = scanned[end];
      if (line.level !== 0 && line.level <= heading.level) {
        break;
      }
      empty = empty && !line.content;
    }
    if (empty) {
      for (let i = start; i < end; i++) {
        hidden.add(i);
      }
    }
  });
  return lines.filter((_, index) => !hidden.has(index)).join('\n');
}
