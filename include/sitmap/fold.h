/*
 * fold.h - name keys that make transliteration variants of one name meet.
 *
 * Two keys are built for every gazetteer name and every query:
 *
 * sm_fold_exact(): the name as written, up to case and spacing.
 *   Unicode NFC, full case folding, runs of white space collapsed, ends
 *   trimmed.                              "  Deir  ez-Zor " => "deir ez-zor"
 *
 * sm_fold(): the transliteration-blind key. The rules, in order:
 *   1. NFKD, case folding, combining marks stripped     "Ḩamāh"   => "hamah"
 *   2. every apostrophe-like mark dropped ( ' ’ ‘ ʿ ʾ ʼ ` ´ ′ )
 *                                                       "Saba’"   => "saba"
 *   3. hyphens, dots, commas, brackets: word breaks     "al-Tanf" => "al tanf"
 *   4. Arabic script: alef forms (أ إ آ ٱ) => ا, ta marbuta ة => ه,
 *      alef maqsura ى => ي, ؤ => و, ئ => ي, Persian ک ی => ك ي, tatweel and
 *      harakat dropped; the article ال dropped from words over 3 letters
 *                                                  "السبع بيار" => "سبع بيار"
 *   5. Latin article words before another word dropped: al el ad ar as ash
 *      at az adh an ath ed er es et ez en esh ul il      "As Sukhnah" => "sukhna"..
 *      and an assimilated article glued to a later word  "Deir Ezzor" => "dayr zur"
 *   6. diphthongs: ei ey ai => ay; aw au => o; ou oo => u "Deir" => "dayr"
 *   7. vowels to Arabic's three: e => i, o => u         "Zor" => "zur"
 *   8. iy before a vowel => i                            "Biyar" => "biar"
 *   9. doubled letters single                           "Raqqah" => "raqah"
 *  10. a final h after a vowel dropped, a final y => i, and a final vowel
 *      dropped from words longer than three letters     "Raqqah" => "raq"
 *   The words are then joined by single spaces. So "Sabaa Biyar", "Saba’ Biyar",
 *   "Sab' Biyar" and "Al-Sabe' Biyar" all give "sab biar"; "Deir ez-Zor",
 *   "Deir Zor" and "Dayr az Zawr" all give "dayr zur".
 *
 * Both functions validate UTF-8 and refuse names longer than SM_NAME_MAX
 * bytes. Output is NUL-terminated; cap must be at least 4*SM_NAME_MAX for
 * any input (folding can expand text, e.g. "ß" => "ss").
 */
#ifndef SITMAP_FOLD_H
#define SITMAP_FOLD_H

#include <stdbool.h>
#include <stddef.h>

#include "sitmap/error.h"

#define SM_NAME_MAX 1024        /* longest name or query, in bytes */
#define SM_KEY_MAX (4 * SM_NAME_MAX)

/* Exact key of s[0..len). Returns SM_ERR_ENCODING (with the byte offset in
 * err->column), SM_ERR_LIMIT, or SM_ERR_USAGE for a name that is empty once
 * trimmed. */
sm_status sm_fold_exact(const char *s, size_t len, char *out, size_t cap,
                        sm_error *err);

/* Folded key of s[0..len); same failures as sm_fold_exact. */
sm_status sm_fold(const char *s, size_t len, char *out, size_t cap,
                  sm_error *err);

/* True when s is valid UTF-8; otherwise *bad (if non-NULL) is the offset of
 * the first invalid byte. */
bool sm_utf8_valid(const char *s, size_t len, size_t *bad);

/* The 1-based line and column (in characters) of byte offset off of s, for
 * messages that point into a file. */
void sm_utf8_line_col(const char *s, size_t off, long *line, long *col);

/* True for a folded word that is a generic geographic term (bir, jabal, wadi,
 * tal, khirbat, dayr, ayn, ras, abu, umm, qasr, kafr, bayt, tal, nahr, jisr,
 * hisn, sabkhat, mazraat, qaryat, tall...). Such words alone must not make
 * two names alike in fuzzy matching. */
bool sm_fold_is_generic(const char *word, size_t len);

#endif
