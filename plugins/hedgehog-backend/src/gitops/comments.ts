import { CST, Document, Lexer, Node, Pair, YAMLMap, YAMLSeq, isCollection, isMap, isPair, isScalar } from 'yaml';

/*
 * Comments of a YAML document, kept as plain data (the parse may run in a worker
 * thread, and parsed files are cached): read from a parsed document, written onto
 * the document a managed file is rendered from. A comment stays with the field it
 * stands at (keys and list items are found by their path, so sorting keys keeps
 * it with its field); one whose field the canonical form does not have, or that
 * the parser attaches nowhere, ends up at the end of the file. None is lost.
 */

/** A comment at a field: before it (its own lines) or after it (on the same line). */
export interface NodeComment {
  /** Keys and list indexes from the document's root. */
  path: Array<string | number>;
  /** On the key of a map entry rather than on its value. */
  key?: true;
  before?: string;
  after?: string;
}

/** The comments of one document, each as the `yaml` package holds it: the text after `#`, lines joined by `\n`. */
export interface DocumentComments {
  /** Above the document's first field. */
  head?: string;
  nodes?: NodeComment[];
  /** At the end of the document (and comments found nowhere else). */
  tail?: string;
}

const joinComments = (parts: Array<string | null | undefined>) => {
  const kept = parts.filter((p): p is string => typeof p === 'string' && p !== '');
  return kept.length > 0 ? kept.join('\n') : undefined;
};

/** Comment lines of YAML text found by the lexer (`#` inside strings and block scalars is no comment). */
export function commentLines(text: string): string[] {
  if (!text.includes('#')) return [];
  const lines: string[] = [];
  for (const token of new Lexer().lex(text)) {
    if (CST.tokenType(token) === 'comment') lines.push(token.slice(1).replace(/\r$/, ''));
  }
  return lines;
}

/**
 * The comments of a parsed document whose source text is `text`. Comment lines of
 * the text that the parser attached to no node are added to the tail, so every
 * comment of the text is in the result. Undefined when the text has none.
 */
export function readComments(doc: Document.Parsed | undefined, text: string): DocumentComments | undefined {
  const all = commentLines(text);
  if (all.length === 0) return undefined;
  const out: DocumentComments = {};
  const nodes: NodeComment[] = [];
  if (doc) {
    const root = doc.contents;
    const firstKey = isMap(root) && isPair(root.items[0]) && isScalar(root.items[0].key) ? root.items[0].key : undefined;
    out.head = joinComments([doc.commentBefore, isCollection(root) ? root.commentBefore : undefined, firstKey?.commentBefore]);
    out.tail = joinComments([isCollection(root) ? root.comment : undefined, doc.comment]);
    const visit = (node: unknown, path: Array<string | number>) => {
      if (isCollection(node)) {
        if (path.length > 0) noteCollection(nodes, path, node);
        node.items.forEach((item: unknown, i: number) => {
          if (!isPair(item)) return visit(item, [...path, i]);
          const pair = item as Pair;
          if (!isScalar(pair.key)) return undefined;
          const k = String(pair.key.value);
          // the first key's comment before is the document's head comment
          if (pair.key !== firstKey || path.length > 0) note(nodes, [...path, k], pair.key, true);
          else if (pair.key.comment) nodes.push({ path: [k], key: true, after: pair.key.comment });
          return visit(pair.value, [...path, k]);
        });
      } else if (isScalar(node) && path.length > 0) {
        note(nodes, path, node, false);
      }
    };
    visit(root, []);
  }
  if (nodes.length > 0) out.nodes = nodes;
  // what the parser attached nowhere goes to the end
  const unplaced = subtractLines(all, captured(out));
  if (unplaced.length > 0) out.tail = joinComments([out.tail, unplaced.join('\n')]);
  return compact(out);
}

function compact(c: DocumentComments): DocumentComments | undefined {
  const out: DocumentComments = {
    ...(c.head ? { head: c.head } : {}),
    ...(c.nodes?.length ? { nodes: c.nodes } : {}),
    ...(c.tail ? { tail: c.tail } : {}),
  };
  return out.head || out.nodes || out.tail ? out : undefined;
}

/**
 * The comments of a nested collection. The parser keeps the comment above its
 * first entry on the collection: it goes with that entry (which sorting may move).
 */
function noteCollection(nodes: NodeComment[], path: Array<string | number>, node: YAMLMap | YAMLSeq) {
  const first: unknown = node.items[0];
  let entry: NodeComment | undefined;
  if (isPair(first) && isScalar(first.key)) entry = { path: [...path, String(first.key.value)], key: true };
  else if (first !== undefined && !isPair(first)) entry = { path: [...path, 0] };
  if (!node.commentBefore || !entry) {
    note(nodes, path, node, false);
    return;
  }
  nodes.push({ ...entry, before: node.commentBefore });
  if (node.comment) nodes.push({ path, after: node.comment });
}

function note(nodes: NodeComment[], path: Array<string | number>, node: Node, key: boolean) {
  if (!node.commentBefore && !node.comment) return;
  nodes.push({
    path,
    ...(key ? { key: true as const } : {}),
    ...(node.commentBefore ? { before: node.commentBefore } : {}),
    ...(node.comment ? { after: node.comment } : {}),
  });
}

/** Every comment line held by `c` (blank separator lines left out). */
function captured(c: DocumentComments): string[] {
  const texts = [c.head, ...(c.nodes ?? []).flatMap(n => [n.before, n.after]), c.tail];
  return texts.flatMap(t => (t ? t.split('\n') : []));
}

/** `all` without one occurrence of each line of `taken`; empty comment lines are not counted. */
function subtractLines(all: string[], taken: string[]): string[] {
  const counts = new Map<string, number>();
  for (const l of taken) counts.set(l, (counts.get(l) ?? 0) + 1);
  return all.filter(l => {
    if (l.trim() === '') return false;
    const n = counts.get(l) ?? 0;
    if (n === 0) return true;
    counts.set(l, n - 1);
    return false;
  });
}

/** Comments of several documents as one (heads first, tails last), e.g. of a document and the empty ones around it. */
export function mergeComments(
  head: Array<DocumentComments | undefined>,
  main: DocumentComments | undefined,
  tail: Array<DocumentComments | undefined>,
): DocumentComments | undefined {
  // an empty document's comments are all in its tail
  if (head.every(c => !c) && tail.every(c => !c)) return main;
  return compact({
    head: joinComments([...head.map(c => joinComments([c?.head, c?.tail])), main?.head]),
    nodes: main?.nodes,
    tail: joinComments([main?.tail, ...tail.map(c => joinComments([c?.head, c?.tail]))]),
  });
}

/**
 * Puts comments onto a document created from a plain object: each at the node of
 * its path; those whose path the document does not have go to the end.
 */
export function applyComments(doc: Document, comments: DocumentComments) {
  const lost: string[] = [];
  const root = doc.contents;
  for (const c of comments.nodes ?? []) {
    const node = c.key ? keyNode(doc, c.path) : doc.getIn(c.path, true);
    if (!node || !(isScalar(node) || isCollection(node))) {
      if (c.before) lost.push(c.before);
      if (c.after) lost.push(c.after);
      continue;
    }
    if (c.before) node.commentBefore = joinComments([node.commentBefore, c.before]);
    if (c.after) node.comment = joinComments([node.comment, c.after]);
  }
  if (comments.head) {
    const first = isMap(root) && isPair(root.items[0]) && isScalar(root.items[0].key) ? root.items[0].key : undefined;
    if (first) first.commentBefore = joinComments([comments.head, first.commentBefore]);
    else doc.commentBefore = comments.head;
  }
  const tail = joinComments([comments.tail, ...lost]);
  if (tail) doc.comment = tail;
}

/** The key node of the map entry at `path`. */
function keyNode(doc: Document, path: Array<string | number>) {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const last = String(path[path.length - 1]);
  const pair = parent.items.find(p => isScalar(p.key) && String(p.key.value) === last);
  return pair?.key;
}
