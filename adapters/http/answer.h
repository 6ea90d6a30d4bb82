/* Reads a service's answers out of its response JSON (jansson) at the
 * paths its description gives. */
#ifndef SHADES_HTTP_ANSWER_H
#define SHADES_HTTP_ANSWER_H

#include <shades/adapter.h>

#include <jansson.h>
#include <stddef.h>

#include "service.h"

/* The value at path ("a.b[0].c"; "" is root) under root, or NULL when any
 * step is absent. Borrowed from root. */
json_t *http_json_at(json_t *root, const char *path);

/* Parses a response body into *out (the caller's: json_decref), or fails
 * with "not JSON: <jansson's reason> at line L" in why. */
int http_json_parse(json_t **out, const char *body, size_t size, char *why, size_t cap);

/* Faces of a detect answer, most confident first: at most capacity of them
 * into out (may be NULL when capacity is 0), their number into *out_count,
 * and into *out_attrs (when not NULL) the most confident face's sex and
 * age, or outcome NO_FACE when the list is empty. width and height turn
 * fractional boxes into pixels. 0, or -1 with why naming the path that is
 * missing or malformed. */
int http_answer_faces(shades_face *out, size_t *out_count, shades_attributes *out_attrs,
                      size_t capacity, const http_answer *a, json_t *root, uint32_t width,
                      uint32_t height, char *why, size_t cap);

/* The similarity of a verify answer, divided by score_scale. */
int http_answer_score(double *out, const http_answer *a, json_t *root, char *why, size_t cap);

/* The vector of an embed answer: exactly a->dimension numbers into out. */
int http_answer_embedding(float *out, const http_answer *a, json_t *root, char *why,
                          size_t cap);

#endif
