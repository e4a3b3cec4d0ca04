/**
 * Rule-violation text signals (issue 5 part 5): incitement, threats, wishes of harm and abuse in
 * English, Hindi (Devanagari and romanized) and Punjabi (Gurmukhi). Signals are evidence for review
 * cases; they never act on their own.
 */
export {
  CATEGORIES,
  type Category,
  LEXICON_DIR,
  type Lexicon,
  LexiconError,
  loadLexicons,
  parseLexicon,
} from "./lexicon.ts";
export { type NormalizedText, normalizeText, normalizeWords, type Script, type Token } from "./normalize.ts";
export {
  type CounterMatch,
  createTextScorer,
  DEFAULT_THRESHOLD,
  raisesCase,
  scoreText,
  type TextMatch,
  type TextScore,
  TextScorer,
  type TextSignal,
} from "./scorer.ts";
