/* The help pages of the shades command line. Keep them, README's command
 * table, docs/shades.1 and scripts/shades-completion.bash in step. */
#include "help.h"

#include <string.h>

#include "import.h"

/* One command's page. */
typedef struct page {
    const char *name;
    const char *summary; /* one line for the overview */
    const char *text;    /* usage, description, options, example; {formats} and
                          * {pair_formats} stand for the importers' names */
} page;

static const page pages[] = {
    {"run", "run a config: verification, identification or classification",
     "usage: shades run CONFIG [--threads N] [--progress auto|bar|lines|off]\n"
     "                  [--isolate] [--call-timeout S] [--isolate-user USER]\n"
     "                  [--isolate-memory MIB] [--isolate-files N] [--resume]\n"
     "                  [--keep-checkpoint] [--no-checkpoint] [--sign KEY]\n"
     "\n"
     "Runs the config (docs/config.md): an engine, or replayed score, prediction or\n"
     "candidate-list files, over a dataset split into groups; writes the results\n"
     "file (HDF5) and prints the tables. With engine.model_card it first checks\n"
     "every model file by SHA-256 and records the card (docs/models.md). With\n"
     "engine.service (an engine that sends the images to a third party's service)\n"
     "it first checks that the dataset card's permitted_uses allow third-party\n"
     "processing, refuses --isolate, and records the description by SHA-256\n"
     "(docs/config.md). Exit 0: every criterion passed (or none); 1: a criterion\n"
     "failed (results still written); 2: error.\n"
     "\n"
     "Under an MPI launcher (mpirun -n N, srun) the ranks split the engine's work\n"
     "and write the file one process writes; rank 0 writes it and prints, and each\n"
     "rank keeps its own checkpoint (docs/cluster.md).\n"
     "\n"
     "options:\n"
     "  --threads N          threads, 1 to 256 (default: the config's run.threads),\n"
     "                       capped by the engine's declared concurrency\n"
     "  --progress MODE      on stderr: auto (a bar on a terminal, else lines), bar,\n"
     "                       lines (per stage and every 10 s) or off\n"
     "  --isolate            call the engine in sandboxed worker processes; a crash or\n"
     "                       a hang costs one image, not the run; no network, no new\n"
     "                       processes, no files but its libraries (docs/isolation.md)\n"
     "  --call-timeout S     seconds one engine call may take (default 30; the\n"
     "                       engine's create, which may load a model, four times it)\n"
     "  --isolate-user USER  run as root: the user workers become (default nobody)\n"
     "  --isolate-memory MIB address space of each worker (default 16384; 0: none)\n"
     "  --isolate-files N    open files of each worker (default 1024)\n"
     "  --resume             continue a killed run from its checkpoint\n"
     "  --keep-checkpoint    keep the checkpoint after the run completes\n"
     "  --no-checkpoint      write no checkpoint (docs/checkpoints.md)\n"
     "  --sign KEY           sign the results file with the private key KEY before it\n"
     "                       is moved into place (shades keygen; docs/attestation.md)\n"
     "  -h, --help           this help\n"
     "\n"
     "example:\n"
     "  shades run out/demo.yaml --threads 2 --progress lines\n"
     "  mpirun -n 4 --bind-to none shades run out/demo.yaml --threads 8\n"},
    {"report", "print results files as text, Markdown, CSV or HTML",
     "usage: shades report FILE... [--format txt|md|csv|html] [-o PATH]\n"
     "\n"
     "Prints one or more results files; several side by side, one row per engine\n"
     "(runs of one engine told apart by run name, else by file name). Every report\n"
     "but CSV opens with a summary of each run: its criteria verdict (ALTERED for a\n"
     "signed file changed since, CONTRADICTED for a file whose verdicts disagree\n"
     "with their numbers), each failed rule in a sentence, a warning where the scores\n"
     "look like distances, the worst differential per partition, FTE above 5%,\n"
     "accuracy over folds (each partition's lowest and highest group, or that its\n"
     "groups tie), the dataset card's warning and the model card's\n"
     "(engine.model_card); runs on other manifests, cards, model cards, groups or\n"
     "operating points are warned about first. Groups the run found too small\n"
     "(groups.min_subjects) are marked '*'; an interval that leaves out its\n"
     "estimate, a dagger. Names and other text from a file are shown on one line,\n"
     "control characters as \\xNN (CSV keeps them as the file holds them, quoted).\n"
     "\n"
     "options:\n"
     "  --format FMT         txt (100 columns), md, csv (tidy: engine and file\n"
     "                       columns, a row per group and point) or html (one page\n"
     "                       with plots); default: PATH's extension, else txt\n"
     "  -o PATH              write to PATH instead of stdout; its directory must exist\n"
     "  -h, --help           this help\n"
     "\n"
     "example:\n"
     "  shades report out/demo.h5 -o out/demo.html\n"},
    {"demo", "render faces, audit a model and the synthetic engine, report",
     "usage: shades demo [--out DIR] [--threads N] [--faces N] [--subjects N]\n"
     "                   [--images N] [--progress auto|bar|lines|off]\n"
     "\n"
     "Renders --faces synthetic identities x 4 faces and runs the pretrained\n"
     "faceplugin models (opencv-onnx) on them: verification, then a Gender-Shades-\n"
     "style audit of their sex estimate. Then runs the synthetic engine on a code\n"
     "cohort with its planted truth. Writes DIR/demo-onnx.h5, DIR/demo-onnx-sex.h5,\n"
     "DIR/demo.h5 and DIR/report.html. The models come from scripts/fetch_models.py\n"
     "(run by scripts/setup.sh) into $SHADES_MODELS, else the source tree's models/.\n"
     "Generated faces are no evidence about any engine on real people.\n"
     "\n"
     "options:\n"
     "  --out DIR            where to write (default out)\n"
     "  --threads N          threads, 1 to 256 (default 2)\n"
     "  --faces N            rendered identities (default 300; 0 skips the model part)\n"
     "  --subjects N         code-cohort subjects, 2 or more (default 400)\n"
     "  --images N           code images per subject (default 5)\n"
     "  --progress MODE      auto, bar, lines or off\n"
     "  -h, --help           this help\n"
     "\n"
     "example:\n"
     "  shades demo --out out --faces 60\n"},
    {"synth", "render synthetic face images with a manifest and a card",
     "usage: shades synth DIR [--subjects N] [--images N] [--seed S] [--threads N]\n"
     "                    [--set KEY=VALUE]...\n"
     "\n"
     "Renders face images of generated identities into DIR/images, with\n"
     "DIR/manifest.csv (sex, skin type, ITA, capture conditions) and DIR/card.yaml.\n"
     "\n"
     "options:\n"
     "  --subjects N         identities, 1 to 1000000 (default 100)\n"
     "  --images N           images per identity (default 4); 10000000 in all at most\n"
     "  --seed S             seed, 0 to 2^64 - 1 (default 1)\n"
     "  --threads N          threads, 1 to 256 (default 1)\n"
     "  --set KEY=VALUE      a rendering setting (docs/synth.md lists them)\n"
     "  -h, --help           this help\n"
     "\n"
     "example:\n"
     "  shades synth faces --subjects 40 --images 4 --set yaw=0.2\n"},
    {"cohort", "write a cohort of code images for the synthetic engine",
     "usage: shades cohort DIR [--subjects N] [--images N] [--seed S]\n"
     "\n"
     "Writes code images (an identity code and trait bits that only the synthetic\n"
     "engine reads) with DIR/manifest.csv and DIR/card.yaml (docs/synthetic.md).\n"
     "\n"
     "options:\n"
     "  --subjects N         subjects, 1 to 1000000 (default 100)\n"
     "  --images N           images per subject (default 4); 10000000 in all at most\n"
     "  --seed S             seed, 0 to 2^64 - 1 (default 1)\n"
     "  -h, --help           this help\n"
     "\n"
     "example:\n"
     "  shades cohort cohort --subjects 200 --images 4\n"},
    {"import", "turn a published dataset layout into a manifest (and pairs)",
     "usage: shades import FORMAT INPUT... -o DIR [--images ROOT] [--race NAME]\n"
     "\n"
     "Turns a published layout ({formats}) into\n"
     "DIR/manifest.csv, for {pair_formats} DIR/pairs.csv, and DIR/card.yaml, a card\n"
     "skeleton whose licence and consent you fill in (docs/datasets.md). rfw takes\n"
     "several pair files or folders into one manifest; the others read one input.\n"
     "\n"
     "options:\n"
     "  -o DIR               where to write (required)\n"
     "  --images ROOT        the folder image paths are relative to (the dataset\n"
     "                       root; default: the input folder, or the input's folder)\n"
     "  --race NAME          rfw, one pairs file: the race it covers\n"
     "  -h, --help           this help\n"
     "\n"
     "example:\n"
     "  shades import utkface UTKFace -o utk\n"},
    {"info", "load an adapter and print what it declares",
     "usage: shades info ADAPTER\n"
     "\n"
     "Loads an adapter (a built-in name or a library path) and prints its name,\n"
     "version, vendor, ABI and declared capabilities.\n"
     "\n"
     "options:\n"
     "  -h, --help           this help\n"
     "\n"
     "example:\n"
     "  shades info synthetic\n"},
    {"check-adapter", "conformance checks for an adapter, for a vendor's CI",
     "usage: shades check-adapter ADAPTER [--images DIR [--max-images N]]\n"
     "                            [--option K=V]... [--config-dir DIR] [--timeout S]\n"
     "                            [--timing fail|warn|off] [--junit FILE]\n"
     "\n"
     "Runs each conformance check in its own process: ABI, capabilities,\n"
     "determinism, symmetry, hostile images and templates, concurrency, the\n"
     "declared extensions and timing against NIST FRVT's limits (1.5 s per\n"
     "template, 100 us per comparison; CPU time of the calling thread, best of 5).\n"
     "Exit 0: all passed; 1: a check failed; 2: error (no such adapter or images).\n"
     "\n"
     "options:\n"
     "  --images DIR         face images to use, found in DIR and its subfolders (a\n"
     "                       shades synth folder as it is), in path order (default:\n"
     "                       16 generated images only the synthetic engine reads)\n"
     "  --max-images N       use the first N of them (default 64)\n"
     "  --option K=V         an engine option, as in the config's engine.options\n"
     "  --config-dir DIR     the engine's model files (engine.config_dir)\n"
     "  --timeout S          seconds each check may take (default 120)\n"
     "  --timing MODE        over a limit: fail (default), warn (print WARN, pass)\n"
     "                       or off (do not measure)\n"
     "  --junit FILE         also write the verdicts as JUnit XML, as CI systems\n"
     "                       read them (a FAIL a failure, a SKIP skipped, a WARN a\n"
     "                       pass whose output starts WARN), whether the checks\n"
     "                       pass or not; not on exit 2 or when cancelled; a FILE\n"
     "                       that cannot be written is refused before any check\n"
     "  -h, --help           this help\n"
     "\n"
     "example:\n"
     "  shades check-adapter ./libmy_engine.so --images faces --timing warn\n"
     "  shades check-adapter ./libmy_engine.so --images faces --junit check.xml\n"},
    {"keygen", "make an Ed25519 key pair for signing results files",
     "usage: shades keygen KEY\n"
     "\n"
     "Writes a new Ed25519 private key to KEY (PEM, readable by its owner only) and\n"
     "its public key to KEY.pub, and prints the key's fingerprint; never overwrites\n"
     "a file. Give KEY.pub (or the fingerprint) to whoever verifies your files.\n"
     "\n"
     "example:\n"
     "  shades keygen lab.pem\n"},
    {"sign", "sign a results file",
     "usage: shades sign FILE --key KEY\n"
     "\n"
     "Signs the results file FILE in place with the private key KEY: an Ed25519\n"
     "signature over a digest of every table and attribute, kept in the file with\n"
     "the public key and its fingerprint (docs/attestation.md). The file is signed\n"
     "or left as it was; a file already signed is refused (one signature a file).\n"
     "\n"
     "options:\n"
     "  --key KEY            the private key (shades keygen)\n"
     "  -h, --help           this help\n"
     "\n"
     "example:\n"
     "  shades sign out/demo.h5 --key lab.pem\n"},
    {"verify", "check a results file's signature",
     "usage: shades verify FILE [--key PUBKEY]\n"
     "\n"
     "Checks that FILE is as it was signed and prints \"signed by key SHA256:...,\n"
     "valid\", \"unsigned\", or \"ALTERED: PATH\" naming the first object that\n"
     "changed. Without --key it checks against the key the file carries: compare\n"
     "the fingerprint with the signer's. Exit 0: valid; 1: altered, unsigned or\n"
     "signed by another key; 2: error.\n"
     "\n"
     "options:\n"
     "  --key PUBKEY         the signer's public key (KEY.pub); another key fails\n"
     "  -h, --help           this help\n"
     "\n"
     "example:\n"
     "  shades verify out/demo.h5 --key lab.pem.pub\n"},
    {"rerun", "run a results file's run again and compare every table",
     "usage: shades rerun FILE\n"
     "\n"
     "Runs the config FILE records again on this machine, with its seed and thread\n"
     "count, resolving its paths as the run did (from any directory; files before\n"
     "schema 1.5: from the directory the run was started in), and compares every\n"
     "table with FILE's: \"identical\" (exit 0), or the first differing cell with both\n"
     "values (exit 1). Refuses (exit 2) when the adapter library or the manifest\n"
     "here is not the one FILE records. Leaves no file behind.\n"
     "\n"
     "example:\n"
     "  shades rerun out/demo.h5\n"},
    {"help", "print this overview, or one command's help",
     "usage: shades help [COMMAND]\n"
     "\n"
     "Prints the overview of the commands, or COMMAND's own help (the same as\n"
     "shades COMMAND --help).\n"
     "\n"
     "example:\n"
     "  shades help run\n"},
    {"version", "print the version",
     "usage: shades version   (or shades -V, shades --version)\n"
     "\n"
     "Prints the version of shades and of the adapter ABI it speaks.\n"
     "\n"
     "example:\n"
     "  shades --version\n"},
};

const char sh_help_commands[] =
    "run report demo synth cohort import info check-adapter keygen sign verify rerun help "
    "version";

void sh_help_overview(FILE *out)
{
    fprintf(out, "usage: shades COMMAND [ARGS]\n"
                 "       shades COMMAND --help      one command's usage, options and an example\n"
                 "       shades --version\n\ncommands:\n");
    for (size_t k = 0; k < sizeof pages / sizeof pages[0]; k++)
        fprintf(out, "  %-14s %s\n", pages[k].name, pages[k].summary);
    fprintf(out, "\nExit status: 0 success, 1 a run's criterion or a check failed, 2 error.\n"
                 "Docs: man shades, and docs/ in the source.\n");
}

/* Prints text with {formats} as every importer's name and {pair_formats}
 * as those that write pairs.csv, from the registry (protocols/import.h). */
static void put_page(FILE *out, const char *text)
{
    static const char all[] = "{formats}", pairs[] = "{pair_formats}";
    char names[256];
    for (const char *brace; (brace = strchr(text, '{'));) {
        fwrite(text, 1, (size_t)(brace - text), out);
        if (!strncmp(brace, all, sizeof all - 1)) {
            fputs(sh_import_format_names(names, sizeof names, 0, ", ", ", "), out);
            text = brace + sizeof all - 1;
        } else if (!strncmp(brace, pairs, sizeof pairs - 1)) {
            fputs(sh_import_format_names(names, sizeof names, 1, ", ", " and "), out);
            text = brace + sizeof pairs - 1;
        } else {
            fputc('{', out);
            text = brace + 1;
        }
    }
    fputs(text, out);
}

int sh_help_command(FILE *out, const char *cmd)
{
    for (size_t k = 0; k < sizeof pages / sizeof pages[0]; k++)
        if (strcmp(cmd, pages[k].name) == 0) {
            put_page(out, pages[k].text);
            return 0;
        }
    return -1;
}
