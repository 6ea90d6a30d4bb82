/* What an isolated engine may read, against where the dataset lies. */
#ifndef SH_HARNESS_ENGINE_REACH_H
#define SH_HARNESS_ENGINE_REACH_H

#include "config.h"
#include "error.h"
#include "manifest.h"

/* For an isolated run (engine given by spec, its files in config_dir,
 * which may be NULL): fails naming the config's field when the manifest,
 * the dataset card or the folder of the images (m's root) lies in a folder
 * the sandbox lets the engine read for its own files (the adapter's,
 * engine.config_dir; the system's directories are the user's to keep
 * datasets out of, docs/isolation.md):
 * from there it could read the labels, which an engine must never see. */
int sh_engine_reach_check(const sh_config *c, const sh_manifest *m, sh_err *err);

#endif
