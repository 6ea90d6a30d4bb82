/* Decimal text to double, exactly as strtod rounds it, fast for the short
 * numbers score files hold. */
#ifndef SH_CORE_FAST_FLOAT_H
#define SH_CORE_FAST_FLOAT_H

/* Parses the whole NUL-terminated text as strtod would (the C locale):
 * returns 1 and sets *out when strtod would consume all of it, else 0
 * (*out untouched). Up to 19 significant digits with a decimal exponent in
 * [-22, 22] and a mantissa below 2^53 are converted directly (Clinger's
 * fast path: one correctly rounded multiply or divide of exact values);
 * anything else goes to strtod. Needs round-to-nearest and double
 * arithmetic without excess precision (FLT_EVAL_METHOD 0). [thread: any] */
int sh_parse_double(const char *text, double *out);

#endif
