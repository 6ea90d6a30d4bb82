#!/usr/bin/env python3
"""sigv4_check.py: checks an AWS Signature Version 4 signed request as a
service would, for the loopback server the HTTP adapter's tests talk to.

verify() recomputes the signature of a received request over the headers its
Authorization header names (SignedHeaders) and compares it with the one sent.
It follows the rules adapters/http/sigv4.c signs by (those of AWS's services
other than S3): the path as received is URI-encoded once more, the query's
keys and values are decoded and encoded again, then sorted; header values are
trimmed with inner runs of blanks made one space; the payload hash is the
SHA-256 of the body. Standard library only.

Run as a script, it checks itself against AWS's published test suite
(get-vanilla, post-x-www-form-urlencoded, post-sts-header-before) and exits 0.
"""
import hashlib
import hmac
import re
import sys
import urllib.parse

ALGORITHM = 'AWS4-HMAC-SHA256'
_BAD_ESCAPE = re.compile(r'%(?![0-9A-Fa-f]{2})')
_AMZ_DATE = re.compile(r'\d{8}T\d{6}Z\Z')
_BLANKS = re.compile(r'[ \t]+')


def _encode(raw, keep_slash=False):
    """SigV4's UriEncode of bytes or str: all but A-Z a-z 0-9 - . _ ~ (and '/'
    when keep_slash) as %XX, upper-case hex."""
    return urllib.parse.quote(raw, safe='/-_.~' if keep_slash else '-_.~')


def _canonical_query(query):
    """The canonical query string of a query as sent, or None when it holds
    a '%' not followed by two hex digits."""
    if _BAD_ESCAPE.search(query):
        return None
    pairs = []
    for part in query.split('&'):
        if not part:
            continue
        key, _, value = part.partition('=')
        pairs.append((_encode(urllib.parse.unquote_to_bytes(key)),
                      _encode(urllib.parse.unquote_to_bytes(value))))
    return '&'.join(f'{k}={v}' for k, v in sorted(pairs))


def _trimall(value):
    """value without leading and trailing blanks, inner runs made one space."""
    return _BLANKS.sub(' ', value).strip(' \t')


def _hmac(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def canonical_request(method, path, query, headers, signed, body):
    """The canonical request (str) over the lower-cased header map headers
    and the list of signed header names, or None when the query is not
    URI-encoded."""
    cquery = _canonical_query(query or '')
    if cquery is None:
        return None
    lines = ''.join(f'{n}:{_trimall(headers[n])}\n' for n in signed)
    return '\n'.join([method, _encode(path, keep_slash=True), cquery, lines,
                      ';'.join(signed), hashlib.sha256(body).hexdigest()])


def verify(method, path, query, headers, body, access_key, secret_key, region, service):
    """(True, '') when the request's Authorization header is a valid SigV4
    signature by access_key/secret_key for region and service over method,
    path (as received, without the query), query (as received, '' or None
    when none), headers (any mapping with items(); names in any case, a
    name given twice has its values joined by ',') and body (bytes); else
    (False, one line saying why)."""
    lower = {}
    for name, value in headers.items():
        name = name.lower()
        lower[name] = f'{lower[name]},{value}' if name in lower else str(value)
    auth = lower.get('authorization')
    if auth is None:
        return False, 'no Authorization header'
    if not auth.startswith(ALGORITHM + ' '):
        return False, f'Authorization does not start with {ALGORITHM}: {auth!r}'
    fields = {}
    for part in auth[len(ALGORITHM) + 1:].split(','):
        key, eq, value = part.strip().partition('=')
        if not eq or key in fields:
            return False, f'Authorization has a malformed or repeated field {part.strip()!r}'
        fields[key] = value
    missing = {'Credential', 'SignedHeaders', 'Signature'} - fields.keys()
    if missing:
        return False, f'Authorization lacks {", ".join(sorted(missing))}'
    scope = fields['Credential'].split('/')
    if len(scope) != 5 or scope[4] != 'aws4_request':
        return False, f'Credential {fields["Credential"]!r} is not KEY/DATE/REGION/SERVICE/aws4_request'
    key_id, day, cred_region, cred_service, _ = scope
    if key_id != access_key:
        return False, f'Credential names access key {key_id!r}, not {access_key!r}'
    if (cred_region, cred_service) != (region, service):
        return False, f'Credential scope is {cred_region}/{cred_service}, not {region}/{service}'
    amz_date = lower.get('x-amz-date', '')
    if not _AMZ_DATE.match(amz_date):
        return False, f'X-Amz-Date {amz_date!r} is missing or not YYYYMMDDTHHMMSSZ'
    if day != amz_date[:8]:
        return False, f'Credential date {day} is not X-Amz-Date\'s day {amz_date[:8]}'
    signed = fields['SignedHeaders'].split(';')
    if signed != sorted(set(signed)) or any(n != n.lower() or not n for n in signed):
        return False, f'SignedHeaders {fields["SignedHeaders"]!r} is not sorted, unique, lower-case'
    for need in ('host', 'x-amz-date') + (('x-amz-security-token',)
                                          if 'x-amz-security-token' in lower else ()):
        if need not in signed:
            return False, f'{need} is sent but not signed'
    absent = [n for n in signed if n not in lower]
    if absent:
        return False, f'signed headers not sent: {", ".join(absent)}'
    if not path.startswith('/'):
        return False, f'path {path!r} does not start with /'
    creq = canonical_request(method, path, query, lower, signed, body)
    if creq is None:
        return False, f'query {query!r} is not URI-encoded'
    sts = '\n'.join([ALGORITHM, amz_date, f'{day}/{region}/{service}/aws4_request',
                     hashlib.sha256(creq.encode()).hexdigest()])
    k = _hmac(('AWS4' + secret_key).encode(), day)
    for part in (region, service, 'aws4_request'):
        k = _hmac(k, part)
    want = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, fields['Signature']):
        return False, f'signature does not match; canonical request {creq!r}'
    return True, ''


def _self_test():
    """AWS's published suite (key AKIDEXAMPLE, us-east-1, service "service",
    20150830T123600Z), then a tampered body, key and header."""
    key = ('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'us-east-1', 'service')
    scope = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, '
    token = ('AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMic'
             'RXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKs'
             'burEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0'
             'iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==')
    base = {'Host': 'example.amazonaws.com', 'X-Amz-Date': '20150830T123600Z'}
    vanilla = dict(base, Authorization=scope + 'SignedHeaders=host;x-amz-date, Signature='
                   '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')
    form = dict(base, **{'Content-Type': 'application/x-www-form-urlencoded'},
                Authorization=scope + 'SignedHeaders=content-type;host;x-amz-date, Signature='
                'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a')
    sts = dict(base, **{'X-Amz-Security-Token': token},
               Authorization=scope + 'SignedHeaders=host;x-amz-date;x-amz-security-token, '
               'Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead')
    order = dict(base, Authorization=scope + 'SignedHeaders=host;x-amz-date, Signature='
                 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500')
    cases = [
        ('get-vanilla', ('GET', '/', '', vanilla, b''), True),
        ('get-vanilla-query-order-key-case', ('GET', '/', 'Param2=value2&Param1=value1', order, b''), True),
        ('post-x-www-form-urlencoded', ('POST', '/', '', form, b'Param1=value1'), True),
        ('post-sts-header-before', ('POST', '/', '', sts, b''), True),
        ('get-vanilla, a body added', ('GET', '/', '', vanilla, b'x'), False),
        ('get-vanilla, another path', ('GET', '/x', '', vanilla, b''), False),
        ('get-vanilla, another query', ('GET', '/', 'a=b', vanilla, b''), False),
        ('get-vanilla, lower-case names', ('GET', '/', None, {k.lower(): v for k, v in vanilla.items()}, b''), True),
        ('post-x-www-form-urlencoded, another type',
         ('POST', '/', '', dict(form, **{'Content-Type': 'text/plain'}), b'Param1=value1'), False),
        ('post-sts-header-before, token unsigned',
         ('GET', '/', '', dict(vanilla, **{'X-Amz-Security-Token': token}), b''), False),
    ]
    failed = 0
    for name, (method, path, query, headers, body), want in cases:
        ok, why = verify(method, path, query, headers, body, *key)
        if ok != want:
            failed += 1
            print(f'FAIL {name}: verify gave {ok} ({why})')
    ok, why = verify('GET', '/', '', vanilla, b'', key[0], 'wrong', key[2], key[3])
    if ok or 'signature does not match' not in why:
        failed += 1
        print(f'FAIL a wrong secret key: {ok} ({why})')
    ok, why = verify('GET', '/', '', vanilla, b'', 'AKIDOTHER', *key[1:])
    if ok or why != "Credential names access key 'AKIDEXAMPLE', not 'AKIDOTHER'":
        failed += 1
        print(f'FAIL another access key: {ok} ({why})')
    print(f'sigv4_check: {len(cases) + 2 - failed} of {len(cases) + 2} checks pass')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(_self_test())
