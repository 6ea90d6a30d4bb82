/* Reads a text file in large blocks of whole lines, decompressing gzip
 * and zstd files on the fly (found by their magic bytes), so a reader can
 * split each block across threads and never hold the whole file. */
#ifndef SH_CORE_TEXT_BLOCKS_H
#define SH_CORE_TEXT_BLOCKS_H

#include <stddef.h>

#include "error.h"

/* Bytes of text per block unless a line is longer. */
#define SH_TEXT_BLOCK (8u << 20)

/* An open file; owned by its opener, one thread at a time. */
typedef struct sh_text_blocks sh_text_blocks;

/* Opens path ("-" is not special) for reading; `what` names it in an open
 * error ("scores file"). Plain, gzip (1f 8b, members may be concatenated)
 * and zstd (28 b5 2f fd) files are read alike. */
int sh_text_open(sh_text_blocks **out, const char *path, const char *what, sh_err *err);

/* Sets *text and *len to the next block: whole lines, each ended by LF,
 * CRLF or a lone CR (a CRLF is never split), except that the file's last
 * line may have no ending. The text is the reader's and writable, valid
 * until the next call; *len is 0 at the end of the file. Fails naming the
 * path on a read or decompression error. */
int sh_text_next(sh_text_blocks *r, char **text, size_t *len, sh_err *err);

/* "gzip", "zstd" or "plain": how the file is stored. */
const char *sh_text_format(const sh_text_blocks *r);

/* Closes r; NULL is allowed. */
void sh_text_close(sh_text_blocks *r);

#endif
