/* The HTTP adapter's SigV4 signer (adapters/http/sigv4.c) against AWS's
 * published Signature Version 4 test suite (the 2015 "aws-sig-v4-test-suite":
 * key AKIDEXAMPLE, region us-east-1, service "service", 20150830T123600Z):
 * the canonical request, the string to sign and the Authorization header of
 * each case exactly as the suite gives them; then the rules the suite does
 * not cover (the sent path encoded again, hosts with ports) and the refusals,
 * each with its one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sigv4.h"

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SCOPE "20150830/us-east-1/service/aws4_request"
#define HOST_DATE "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"

/* The suite's session token (post-sts-token/post-sts-header-before). */
static const char token[] =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMic"
    "RXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKs"
    "burEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0"
    "iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

/* A suite request: GET / to example.amazonaws.com, no query, no body. */
static http_sigv4_request suite(const char *method)
{
    return (http_sigv4_request){
        .method = method,
        .host = "example.amazonaws.com",
        .path = "/",
        .query = "",
        .region = "us-east-1",
        .service = "service",
        .access_key = "AKIDEXAMPLE",
        .secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        .amz_date = "20150830T123600Z",
    };
}

/* Asserts req's canonical request, string to sign (from the hash of the
 * canonical request the suite gives) and Authorization header. */
static void expect(const http_sigv4_request *req, const char *creq, const char *creq_sha256,
                   const char *signed_headers, const char *signature)
{
    char why[256] = "";
    char *got = NULL;
    assert_int_equal(http_sigv4_canonical_request(&got, req, why, sizeof why), 0);
    assert_string_equal(got, creq);
    free(got);
    assert_int_equal(http_sigv4_string_to_sign(&got, req, why, sizeof why), 0);
    char sts[512];
    snprintf(sts, sizeof sts, "AWS4-HMAC-SHA256\n20150830T123600Z\n" SCOPE "\n%s", creq_sha256);
    assert_string_equal(got, sts);
    free(got);
    http_sigv4_headers h;
    assert_int_equal(http_sigv4_sign(&h, req, why, sizeof why), 0);
    char authz[1024];
    snprintf(authz, sizeof authz,
             "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" SCOPE ", SignedHeaders=%s, Signature=%s",
             signed_headers, signature);
    assert_string_equal(h.authorization, authz);
    assert_string_equal(h.amz_date, "20150830T123600Z");
}

static void get_vanilla(void **state)
{
    (void)state;
    http_sigv4_request r = suite("GET");
    expect(&r, "GET\n/\n\n" HOST_DATE "\nhost;x-amz-date\n" EMPTY_SHA256,
           "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", "host;x-amz-date",
           "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    http_sigv4_headers h;
    assert_int_equal(http_sigv4_sign(&h, &r, NULL, 0), 0);
    assert_null(h.security_token);
    r.query = NULL; /* none, as "" */
    r.session_token = "";
    expect(&r, "GET\n/\n\n" HOST_DATE "\nhost;x-amz-date\n" EMPTY_SHA256,
           "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", "host;x-amz-date",
           "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

static void get_queries(void **state)
{
    (void)state;
    /* get-vanilla-query-order-key-case: sorted by key. */
    http_sigv4_request r = suite("GET");
    r.query = "Param2=value2&Param1=value1";
    expect(&r, "GET\n/\nParam1=value1&Param2=value2\n" HOST_DATE "\nhost;x-amz-date\n" EMPTY_SHA256,
           "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0", "host;x-amz-date",
           "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    /* get-vanilla-query-unreserved: nothing encoded. */
    r.query = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
              "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    char creq[512];
    snprintf(creq, sizeof creq, "GET\n/\n%s\n" HOST_DATE "\nhost;x-amz-date\n" EMPTY_SHA256,
             r.query);
    expect(&r, creq, "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
           "host;x-amz-date", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
    /* get-vanilla-utf8-query, sent encoded (lower-case hex encodes upper). */
    r.query = "%e1%88%b4=bar";
    expect(&r, "GET\n/\n%E1%88%B4=bar\n" HOST_DATE "\nhost;x-amz-date\n" EMPTY_SHA256,
           "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073", "host;x-amz-date",
           "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
}

static void get_headers(void **state)
{
    (void)state;
    /* get-unreserved: the path's bytes stay as they are. */
    http_sigv4_request r = suite("GET");
    r.path = "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    expect(&r,
           "GET\n/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\n" HOST_DATE
           "\nhost;x-amz-date\n" EMPTY_SHA256,
           "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9", "host;x-amz-date",
           "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f");
    /* get-header-value-trim: blanks trimmed, inner runs made one space. */
    r = suite("GET");
    const char *trim_names[] = {"My-Header1", "My-Header2"};
    const char *trim_values[] = {" value1", " \"a   b   c\""};
    r.header_names = trim_names;
    r.header_values = trim_values;
    r.header_count = 2;
    expect(&r,
           "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
           "x-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n" EMPTY_SHA256,
           "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
           "host;my-header1;my-header2;x-amz-date",
           "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
    /* get-header-value-order: one name four times, values in the order sent. */
    const char *order_names[] = {"My-Header1", "My-Header1", "My-Header1", "My-Header1"};
    const char *order_values[] = {"value4", "value1", "value3", "value2"};
    r.header_names = order_names;
    r.header_values = order_values;
    r.header_count = 4;
    expect(&r,
           "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\n"
           "x-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n" EMPTY_SHA256,
           "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
           "host;my-header1;x-amz-date",
           "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01");
}

static void post_vanilla(void **state)
{
    (void)state;
    http_sigv4_request r = suite("POST");
    expect(&r, "POST\n/\n\n" HOST_DATE "\nhost;x-amz-date\n" EMPTY_SHA256,
           "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87", "host;x-amz-date",
           "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

static void post_form_body(void **state)
{
    (void)state;
    /* post-x-www-form-urlencoded: the body's hash, Content-Type signed. */
    http_sigv4_request r = suite("POST");
    const char *names[] = {"Content-Type"};
    const char *values[] = {"application/x-www-form-urlencoded"};
    r.header_names = names;
    r.header_values = values;
    r.header_count = 1;
    r.payload = (const unsigned char *)"Param1=value1";
    r.payload_size = 13;
    expect(&r,
           "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\n" HOST_DATE
           "\ncontent-type;host;x-amz-date\n"
           "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
           "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
           "content-type;host;x-amz-date",
           "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

static void post_session_token(void **state)
{
    (void)state;
    /* post-sts-token/post-sts-header-before: the token sent and signed. */
    http_sigv4_request r = suite("POST");
    r.session_token = token;
    char creq[1024];
    snprintf(creq, sizeof creq,
             "POST\n/\n\n" HOST_DATE "x-amz-security-token:%s\n\n"
             "host;x-amz-date;x-amz-security-token\n" EMPTY_SHA256,
             token);
    expect(&r, creq, "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
           "host;x-amz-date;x-amz-security-token",
           "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
    http_sigv4_headers h;
    assert_int_equal(http_sigv4_sign(&h, &r, NULL, 0), 0);
    assert_ptr_equal(h.security_token, token);
}

/* Rules outside the suite: the sent path is encoded again (SigV4 for every
 * service but S3), a port stays in the host, an empty query value keeps its
 * '=', a key without one gets it, a '+' is a plus, and the Rekognition-like
 * headers sort among the signer's own. No published values: the lines are
 * the rules written out. */
static void canonical_rules(void **state)
{
    (void)state;
    http_sigv4_request r = suite("POST");
    r.host = "127.0.0.1:8080";
    r.path = "/a%20b/c";
    r.query = "b=&a&c=x+y&&a=%2f";
    const char *names[] = {"X-Amz-Target", "Content-Type"};
    const char *values[] = {"RekognitionService.CompareFaces", "application/x-amz-json-1.1"};
    r.header_names = names;
    r.header_values = values;
    r.header_count = 2;
    char why[256] = "", *got = NULL;
    assert_int_equal(http_sigv4_canonical_request(&got, &r, why, sizeof why), 0);
    assert_string_equal(got, "POST\n/a%2520b/c\na=&a=%2F&b=&c=x%2By\n"
                             "content-type:application/x-amz-json-1.1\nhost:127.0.0.1:8080\n"
                             "x-amz-date:20150830T123600Z\n"
                             "x-amz-target:RekognitionService.CompareFaces\n\n"
                             "content-type;host;x-amz-date;x-amz-target\n" EMPTY_SHA256);
    free(got);
}

/* Signs r and asserts it fails with exactly the line want. */
static void refused(const http_sigv4_request *r, const char *want)
{
    char why[256] = "";
    http_sigv4_headers h;
    assert_int_equal(http_sigv4_sign(&h, r, why, sizeof why), -1);
    assert_string_equal(why, want);
    char *got = (char *)"unset";
    assert_int_equal(http_sigv4_canonical_request(&got, r, why, sizeof why), -1);
    assert_null(got);
}

static void refusals(void **state)
{
    (void)state;
    http_sigv4_request r = suite("GET");
    r.region = "";
    refused(&r, "region is empty");
    r = suite("GET");
    r.service = NULL;
    refused(&r, "service is empty");
    r = suite("GET");
    r.region = "us east";
    refused(&r, "region has a byte other than A-Z a-z 0-9 - . _ ~");
    r = suite("GET");
    r.amz_date = "2015-08-30T12:36:00Z";
    refused(&r, "amz_date \"2015-08-30T12:36:00Z\" is not YYYYMMDDTHHMMSSZ");
    r.amz_date = "20150830T123600Z\n";
    refused(&r, "amz_date is not YYYYMMDDTHHMMSSZ");
    r = suite("GET");
    r.secret_key = "";
    refused(&r, "secret key is empty");
    r = suite("GET");
    r.path = "a";
    refused(&r, "path does not start with '/'");
    r.path = "/a%2";
    refused(&r, "path \"/a%2\" has a '%' without two hex digits");
    r.path = "/a/../b";
    refused(&r, "path \"/a/../b\" has a '.' or '..' segment; send it normalised");
    r = suite("GET");
    r.query = "a=%zz";
    refused(&r, "query \"a=%zz\" has a '#', or a '%' without two hex digits");
    r.query = "a=%2";
    refused(&r, "query \"a=%2\" has a '#', or a '%' without two hex digits");
    r.query = "a=b c";
    refused(&r, "query has a space, a control or a non-ASCII byte");
    r = suite("GET");
    const char *names[] = {"Host"}, *values[] = {"elsewhere"};
    r.header_names = names;
    r.header_values = values;
    r.header_count = 1;
    refused(&r, "header Host is the signer's to set");
    const char *bad[] = {"a\r\nX-Injected: 1"};
    const char *ok_names[] = {"X-Thing"};
    r.header_names = ok_names;
    r.header_values = bad;
    refused(&r, "header X-Thing's value has a control byte");
    r = suite("POST");
    r.payload_size = 3;
    refused(&r, "payload is NULL with 3 bytes");
    refused(NULL, "no request to sign");

    /* An Authorization past its fixed size is refused, not cut. */
    r = suite("GET");
    enum { MANY = 40 };
    char long_names[MANY][32];
    const char *many_names[MANY], *many_values[MANY];
    for (int i = 0; i < MANY; i++) {
        snprintf(long_names[i], sizeof long_names[i], "x-a-rather-long-header-name-%02d", i);
        many_names[i] = long_names[i];
        many_values[i] = "v";
    }
    r.header_names = many_names;
    r.header_values = many_values;
    r.header_count = MANY;
    char why[256] = "";
    http_sigv4_headers h;
    assert_int_equal(http_sigv4_sign(&h, &r, why, sizeof why), -1);
    assert_string_equal(why, "the Authorization header would pass 1023 bytes");
    /* A short why is cut, still NUL-terminated. */
    r = suite("GET");
    r.region = "";
    char tiny[7];
    assert_int_equal(http_sigv4_sign(&h, &r, tiny, sizeof tiny), -1);
    assert_string_equal(tiny, "region");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(get_vanilla),      cmocka_unit_test(get_queries),
        cmocka_unit_test(get_headers),      cmocka_unit_test(post_vanilla),
        cmocka_unit_test(post_form_body),   cmocka_unit_test(post_session_token),
        cmocka_unit_test(canonical_rules),  cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
