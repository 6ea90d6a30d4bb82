/* The http adapter's reading of service descriptions (every refusal's
 * message, with file, line and field) and of answers (paths, scales,
 * fractional boxes, the most confident face, an absent score). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answer.h"
#include "service.h"

static const char *const good =
    "service: test\n"
    "api_version: \"2\"\n"
    "follows: a test\n"
    "untested: tested here only\n"
    "base_url: http://127.0.0.1:1\n"
    "auth: {kind: header, name: X-Key, key: TEST_KEY}\n"
    "calls:\n"
    "  detect:\n"
    "    method: POST\n"
    "    path: /detect\n"
    "    body: json\n"
    "    json: '{\"img\":\"$image\"}'\n"
    "    answer:\n"
    "      faces: result.faces\n"
    "      box: [b.l, b.t, b.w, b.h]\n"
    "      box_units: fraction\n"
    "      confidence: c\n"
    "      confidence_scale: 100\n"
    "      sex: g.v\n"
    "      female: Woman\n"
    "      male: Man\n"
    "      sex_confidence: g.c\n"
    "      sex_confidence_scale: 100\n"
    "      age_low: a.lo\n"
    "      age_high: a.hi\n"
    "  verify:\n"
    "    method: POST\n"
    "    path: /verify\n"
    "    body: multipart\n"
    "    parts: [{name: one, value: $image1}, {name: two, value: $image2}]\n"
    "    answer: {score: 'm[0].s', score_scale: 100, score_absent: 0}\n";

static char path[64];

static int write_file(const char *text)
{
    snprintf(path, sizeof path, "/tmp/test_http_answer.%ld.yaml", (long)getpid());
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Loads text with `from` replaced by `to` and returns the error message
 * after the path, or "" when it loads. */
static const char *load_edited(const char *from, const char *to)
{
    static char msg[SH_ERR_MSG_MAX];
    char text[4096];
    const char *at = strstr(good, from);
    assert_non_null(at);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
    assert_int_equal(write_file(text), 0);
    http_service *s = NULL;
    sh_err err = {0};
    int rc = http_service_load(&s, path, &err);
    unlink(path);
    if (!rc) {
        assert_non_null(s);
        http_service_destroy(s);
        return "";
    }
    assert_null(s);
    assert_int_equal(strncmp(err.msg, path, strlen(path)), 0);
    snprintf(msg, sizeof msg, "%s", err.msg + strlen(path));
    return msg;
}

static void loads_good(void **state)
{
    (void)state;
    assert_int_equal(write_file(good), 0);
    http_service *s = NULL;
    sh_err err = {0};
    assert_int_equal(http_service_load(&s, path, &err), 0);
    unlink(path);
    assert_string_equal(s->service, "test");
    assert_int_equal(s->auth->auth_kind, HTTP_AUTH_HEADER);
    assert_int_equal(s->calls->detect->body_kind, HTTP_BODY_JSON);
    assert_int_equal(s->calls->verify->body_kind, HTTP_BODY_MULTIPART);
    assert_null(s->calls->embed);
    assert_int_equal(strlen(s->sha256), 64);
    assert_non_null(s->calls->verify->answer->score_absent);
    http_service_destroy(s);
}

static void refusals(void **state)
{
    (void)state;
    assert_string_equal(load_edited("service: test", "service: Test Service"),
                        ":1: field 'service': 'Test Service' is not a short id ([a-z0-9_-]+, at most "
                        "63)");
    assert_string_equal(load_edited("api_version: \"2\"", "api_version: \"2 beta\""),
                        ":2: field 'api_version': '2 beta' is not one word of printable text "
                        "(at most 64)");
    assert_string_equal(load_edited("score_absent: 0}", "score_absent: 0}\n  embed:\n    method: POST\n"
                                    "    path: /e\n    body: raw\n    answer: {embedding: v, "
                                    "dimension: 70000}"),
                        ":36: field 'calls.embed.answer': an embed call needs 'embedding' and "
                        "'dimension' (1 to 65536)");
    assert_string_equal(load_edited("http://127.0.0.1:1", "ftp://x"),
                        ":5: field 'base_url': 'ftp://x' is not an http:// or https:// address");
    assert_string_equal(load_edited("kind: header", "kind: cookie"),
                        ":6: field 'auth.kind': 'cookie' is not none, header, query, bearer, "
                        "form or aws_sigv4");
    assert_string_equal(load_edited("    body: json", "    body: xml"),
                        ":11: field 'calls.detect.body': 'xml' is not multipart, json or raw");
    assert_string_equal(load_edited("\"$image\"", "\"$img\""),
                        ":12: field 'calls.detect.json': the template has no \"$image\" for the "
                        "image");
    assert_string_equal(load_edited("value: $image2", "value: two"),
                        ":30: field 'calls.verify.parts': no part carries $image2");
    assert_string_equal(load_edited("faces: result.faces", "faces: result..faces"),
                        ":14: field 'calls.detect.answer.faces': 'result..faces' is not a path "
                        "(keys joined by '.', each with optional [N])");
    assert_string_equal(load_edited("      male: Man\n", ""),
                        ":13: field 'calls.detect.answer': 'sex' needs 'female' and 'male', the "
                        "values that mean each");
    assert_string_equal(load_edited("path: /detect", "path: detect"),
                        ":10: field 'calls.detect.path': 'detect' does not start with '/'");
    assert_string_equal(load_edited("    method: POST\n    path: /detect",
                                    "    method: GET\n    path: /detect"),
                        ":9: field 'calls.detect.method': 'GET' is not POST or PUT");
    assert_string_equal(load_edited("{kind: header, name: X-Key, key: TEST_KEY}",
                                    "{kind: aws_sigv4, key: K, secret: S, region: r, "
                                    "signing_service: s}"),
                        ":29: field 'calls.verify.body': aws_sigv4 signs the body's bytes: use "
                        "json or raw");
    assert_string_equal(load_edited("'{\"img\":\"$image\"}'", "'{\"img\":\"$image\"'"),
                        ":12: field 'calls.detect.json': the template is not JSON: '}' expected "
                        "near end of file");
    assert_string_equal(load_edited("path: /detect", "path: \"/de tect\""),
                        ":10: field 'calls.detect.path': '/de tect' has a space or a control "
                        "character (encode it)");
    assert_string_equal(load_edited("score_scale: 100", "score_scale: 0"),
                        ":31: field 'calls.verify.answer.score_scale': a scale divides the "
                        "number found: it must be more than 0");
    assert_string_equal(load_edited("http://127.0.0.1:1", "http:///x"),
                        ":5: field 'base_url': 'http:///x' is not an http:// or https:// "
                        "address");
    assert_string_equal(load_edited("base_url:", "base_uri:"),
                        ":5: field 'base_uri': not a key this file may have");
}

static json_t *parse(const char *text)
{
    json_t *root = NULL;
    char why[256];
    assert_int_equal(http_json_parse(&root, text, strlen(text), why, sizeof why), 0);
    return root;
}

static http_service *load_good(void)
{
    assert_int_equal(write_file(good), 0);
    http_service *s = NULL;
    sh_err err = {0};
    assert_int_equal(http_service_load(&s, path, &err), 0);
    unlink(path);
    return s;
}

static void paths(void **state)
{
    (void)state;
    json_t *root = parse("{\"a\":{\"b\":[{\"c\":1},{\"c\":2.5}]},\"d\":[[7]]}");
    assert_true(json_number_value(http_json_at(root, "a.b[1].c")) == 2.5);
    assert_true(json_number_value(http_json_at(root, "d[0][0]")) == 7);
    assert_null(http_json_at(root, "a.b[2].c"));
    assert_null(http_json_at(root, "a.x"));
    assert_ptr_equal(http_json_at(root, ""), root);
    json_decref(root);
    char why[256];
    json_t *bad = NULL;
    assert_int_equal(http_json_parse(&bad, "{\"a\":", 5, why, sizeof why), -1);
    assert_null(bad);
    assert_int_equal(strncmp(why, "the response is not JSON: ", 26), 0);
}

static void faces(void **state)
{
    (void)state;
    http_service *s = load_good();
    const http_answer *a = s->calls->detect->answer;
    json_t *root = parse(
        "{\"result\":{\"faces\":["
        "{\"b\":{\"l\":0.5,\"t\":0.25,\"w\":0.25,\"h\":0.5},\"c\":40,"
        " \"g\":{\"v\":\"Man\",\"c\":70},\"a\":{\"lo\":20,\"hi\":30}},"
        "{\"b\":{\"l\":0,\"t\":0,\"w\":1,\"h\":1},\"c\":90,"
        " \"g\":{\"v\":\"Woman\",\"c\":95},\"a\":{\"lo\":30,\"hi\":41}}]}}");
    shades_face f[3];
    size_t n = 9;
    shades_attributes at = {.struct_size = sizeof at};
    char why[256];
    assert_int_equal(http_answer_faces(f, &n, &at, 3, a, root, 200, 100, why, sizeof why), 0);
    assert_int_equal(n, 2);
    /* Most confident first; fractions of 200 x 100 pixels. */
    assert_true(f[0].confidence == 0.9f && f[0].width == 200 && f[0].height == 100);
    assert_true(f[1].x == 100 && f[1].y == 25 && f[1].width == 50 && f[1].height == 50);
    assert_int_equal(at.outcome, SHADES_OUTCOME_OK);
    assert_int_equal(at.sex, SHADES_SEX_FEMALE);
    assert_true(at.sex_confidence == 0.95f && at.age == 35.5f);
    assert_int_equal(http_answer_faces(f, &n, NULL, 1, a, root, 200, 100, why, sizeof why), 0);
    assert_int_equal(n, 1);
    json_decref(root);

    root = parse("{\"result\":{\"faces\":[]}}");
    assert_int_equal(http_answer_faces(NULL, &n, &at, 0, a, root, 9, 9, why, sizeof why), 0);
    assert_int_equal(n, 0);
    assert_int_equal(at.outcome, SHADES_OUTCOME_NO_FACE);
    json_decref(root);

    root = parse("{\"result\":{\"faces\":[{\"b\":{\"l\":0,\"t\":0,\"w\":1,\"h\":1},\"c\":9,"
                 "\"a\":{\"lo\":1,\"hi\":2}}]}}");
    assert_int_equal(http_answer_faces(NULL, &n, &at, 0, a, root, 9, 9, why, sizeof why), -1);
    assert_string_equal(why, "the response's face has no text 'g.v'");
    json_decref(root);

    root = parse("{\"faces\":[]}");
    assert_int_equal(http_answer_faces(NULL, &n, &at, 0, a, root, 9, 9, why, sizeof why), -1);
    assert_string_equal(why, "the response has no list 'result.faces'");
    json_decref(root);
    http_service_destroy(s);
}

static void scores(void **state)
{
    (void)state;
    http_service *s = load_good();
    const http_answer *a = s->calls->verify->answer;
    double score = -1;
    char why[256];
    json_t *root = parse("{\"m\":[{\"s\":87.5}]}");
    assert_int_equal(http_answer_score(&score, a, root, why, sizeof why), 0);
    assert_true(score == 0.875);
    json_decref(root);
    root = parse("{\"m\":[]}");
    assert_int_equal(http_answer_score(&score, a, root, why, sizeof why), 0);
    assert_true(score == 0);
    json_decref(root);
    root = parse("{\"m\":[{\"s\":\"high\"}]}");
    assert_int_equal(http_answer_score(&score, a, root, why, sizeof why), -1);
    assert_string_equal(why, "the response's 'm[0].s' is not a number");
    json_decref(root);
    http_service_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_good), cmocka_unit_test(refusals), cmocka_unit_test(paths),
        cmocka_unit_test(faces),      cmocka_unit_test(scores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
