// Generated blocks inside hand-written Markdown: the text between `<!-- <name>:start (<command>) -->`
// and `<!-- <name>:end -->` belongs to the command named in the start marker, which rewrites it.

export const blockStart = (name: string, command = "npm run docs") =>
  `<!-- ${name}:start (${command}) -->`;
export const blockEnd = (name: string) => `<!-- ${name}:end -->`;

/** `text` with the named block's content replaced; undefined when the markers are missing. */
export function embedBlock(
  text: string,
  name: string,
  content: string,
  command?: string,
): string | undefined {
  const startMarker = blockStart(name, command);
  const start = text.indexOf(startMarker);
  const end = text.indexOf(blockEnd(name));
  if (start < 0 || end < start) return undefined;
  return `${text.slice(0, start)}${startMarker}\n\n${content.trimEnd()}\n\n${text.slice(end)}`;
}
