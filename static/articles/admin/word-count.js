// 字数, as the desk counts it: every character that is not white space counts as one,
// except that a run of ASCII letters and digits is one word. Markup never counts, and the
// end of a paragraph (or any other block) separates words. articles.text.word_count
// counts the same way on the server; tests/data/word_counts.json holds examples of both.
const WORD_OR_CHARACTER = /[A-Za-z0-9]+|\S/gu

export function countWords(text) {
  return (text.match(WORD_OR_CHARACTER) ?? []).length
}

// The text of an editor's document, blocks and pictures apart.
export function documentText(doc) {
  return doc.textBetween(0, doc.content.size, "\n", " ")
}
