#include "h5_schema.h"

#include <stdio.h>

#include "classification_results.h"
#include "criteria.h"
#include "identification_results.h"
#include "verification_measures.h"

#define ATTR(member) {#member, offsetof(shades_run_info, member), 0}
/* An attribute schema 1.1 added: files of 1.0 lack it. */
#define ATTR_1_1(member) {#member, offsetof(shades_run_info, member), 1}
#define ATTR_1_2(member) {#member, offsetof(shades_run_info, member), 2}
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const shades_h5_attr shades_h5_string_attrs[] = {
    ATTR(creator),         ATTR(creator_version), ATTR(schema_version),
    ATTR(created),         ATTR(build),           ATTR(run_name),
    ATTR(config_path),     {"config", offsetof(shades_run_info, config_text), 0},
    ATTR(adapter_name),    ATTR(adapter_version), ATTR(adapter_vendor),
    ATTR(adapter_library), ATTR(adapter_sha256),  ATTR(manifest_path),
    ATTR(manifest_sha256), ATTR(dataset_card),    ATTR(criteria_passed),
    ATTR_1_1(protocol),    ATTR_1_1(dataset_name), ATTR_1_1(dataset_warning),
    ATTR_1_2(engine_isolation), ATTR_1_2(engine_repeatability),
};
const size_t shades_h5_n_string_attrs = NELEM(shades_h5_string_attrs);

const shades_h5_attr shades_h5_u64_attrs[] = {
    ATTR(adapter_abi_major), ATTR(adapter_abi_minor), ATTR(n_images),
    ATTR(n_subjects),        ATTR(seed),              ATTR(threads),
    ATTR_1_1(min_subjects),
};
const size_t shades_h5_n_u64_attrs = NELEM(shades_h5_u64_attrs);

#define COL(type, kind, member) {#member, offsetof(type, member), kind, sizeof(((type *)0)->member)}
/* A bounded summary: the value and its two bounds. */
#define BOUNDED(member)                                                                         \
    COL(shades_vsummary, 'd', member), COL(shades_vsummary, 'd', member##_lo),                 \
        COL(shades_vsummary, 'd', member##_hi)

static const shades_h5_column threshold_cols[] = {
    COL(shades_vthreshold, 'd', target_fmr),    COL(shades_vthreshold, 'i', estimable),
    COL(shades_vthreshold, 'd', threshold),     COL(shades_vthreshold, 'u', n_impostor),
    COL(shades_vthreshold, 'u', n_false_match), COL(shades_vthreshold, 'd', fmr),
    COL(shades_vthreshold, 'u', n_genuine),     COL(shades_vthreshold, 'u', n_false_nonmatch),
    COL(shades_vthreshold, 'd', fnmr),
};

static const shades_h5_column group_cols[] = {
    COL(shades_vgroup, 's', partition),
    COL(shades_vgroup, 's', group),
    COL(shades_vgroup, 'd', target_fmr),
    COL(shades_vgroup, 'd', threshold),
    COL(shades_vgroup, 'u', n_subjects),
    COL(shades_vgroup, 'u', n_images),
    COL(shades_vgroup, 'u', n_fte),
    COL(shades_vgroup, 'd', fte),
    COL(shades_vgroup, 'd', fte_wilson_lo),
    COL(shades_vgroup, 'd', fte_wilson_hi),
    COL(shades_vgroup, 'd', fte_cp_lo),
    COL(shades_vgroup, 'd', fte_cp_hi),
    COL(shades_vgroup, 'u', n_genuine),
    COL(shades_vgroup, 'u', n_genuine_failed),
    COL(shades_vgroup, 'u', n_false_nonmatch),
    COL(shades_vgroup, 'd', fnmr),
    COL(shades_vgroup, 'd', fnmr_wilson_lo),
    COL(shades_vgroup, 'd', fnmr_wilson_hi),
    COL(shades_vgroup, 'd', fnmr_cp_lo),
    COL(shades_vgroup, 'd', fnmr_cp_hi),
    COL(shades_vgroup, 'd', fnmr_boot_lo),
    COL(shades_vgroup, 'd', fnmr_boot_hi),
    COL(shades_vgroup, 'd', fnmr_without_failures),
    COL(shades_vgroup, 'u', n_impostor),
    COL(shades_vgroup, 'u', n_false_match),
    COL(shades_vgroup, 'd', fmr),
    COL(shades_vgroup, 'd', fmr_wilson_lo),
    COL(shades_vgroup, 'd', fmr_wilson_hi),
    COL(shades_vgroup, 'd', fmr_cp_lo),
    COL(shades_vgroup, 'd', fmr_cp_hi),
    COL(shades_vgroup, 'd', fmr_boot_lo),
    COL(shades_vgroup, 'd', fmr_boot_hi),
    COL(shades_vgroup, 'i', group_estimable),
    COL(shades_vgroup, 'd', group_threshold),
    COL(shades_vgroup, 'd', group_fnmr),
    COL(shades_vgroup, 'i', too_small),
};

static const shades_h5_column eer_cols[] = {
    COL(shades_veer, 's', partition), COL(shades_veer, 's', group),
    COL(shades_veer, 'u', n_genuine), COL(shades_veer, 'u', n_impostor),
    COL(shades_veer, 'd', eer),       COL(shades_veer, 'd', eer_threshold),
};

static const shades_h5_column det_cols[] = {
    COL(shades_vdet, 's', partition), COL(shades_vdet, 's', group),
    COL(shades_vdet, 'd', threshold), COL(shades_vdet, 'd', fmr),
    COL(shades_vdet, 'd', fnmr),
};

static const shades_h5_column summary_cols[] = {
    COL(shades_vsummary, 's', partition),
    COL(shades_vsummary, 'd', target_fmr),
    COL(shades_vsummary, 'd', threshold),
    COL(shades_vsummary, 'd', alpha),
    COL(shades_vsummary, 'i', fnmr_groups),
    COL(shades_vsummary, 'i', fnmr_zero_groups),
    COL(shades_vsummary, 'i', fmr_groups),
    COL(shades_vsummary, 'i', fmr_zero_groups),
    BOUNDED(fnmr_max_min),
    BOUNDED(fnmr_max_geomean),
    BOUNDED(fnmr_gini),
    BOUNDED(fnmr_gap),
    BOUNDED(fmr_max_min),
    BOUNDED(fmr_max_geomean),
    BOUNDED(fmr_gini),
    BOUNDED(fmr_gap),
    BOUNDED(garbe),
    BOUNDED(fdr),
    BOUNDED(inequity),
    COL(shades_vsummary, 's', fnmr_gap_high),
    COL(shades_vsummary, 's', fnmr_gap_low),
    COL(shades_vsummary, 'd', fnmr_gap_p),
    COL(shades_vsummary, 's', fmr_gap_high),
    COL(shades_vsummary, 's', fmr_gap_low),
    COL(shades_vsummary, 'd', fmr_gap_p),
};

static const shades_h5_column verdict_cols[] = {
    COL(shades_verdict, 's', name),     COL(shades_verdict, 's', measure),
    COL(shades_verdict, 's', partition), COL(shades_verdict, 's', group),
    COL(shades_verdict, 'd', target_fmr), COL(shades_verdict, 's', bound),
    COL(shades_verdict, 's', interval), COL(shades_verdict, 's', op),
    COL(shades_verdict, 'd', limit),    COL(shades_verdict, 'd', value),
    COL(shades_verdict, 'i', pass),     COL(shades_verdict, 's', reason),
};

static const shades_h5_column cgroup_cols[] = {
    COL(shades_crow, 's', partition),      COL(shades_crow, 's', group),
    COL(shades_crow, 'u', n),              COL(shades_crow, 'u', errors),
    COL(shades_crow, 'u', n_no_prediction), COL(shades_crow, 'd', error_rate),
    COL(shades_crow, 'd', error_wilson_lo), COL(shades_crow, 'd', error_wilson_hi),
    COL(shades_crow, 'd', error_cp_lo),    COL(shades_crow, 'd', error_cp_hi),
    COL(shades_crow, 'd', error_share),    COL(shades_crow, 'i', too_small),
};

static const shades_h5_column cclass_cols[] = {
    COL(shades_cclass, 's', partition),   COL(shades_cclass, 's', group),
    COL(shades_cclass, 's', class_name),  COL(shades_cclass, 'u', n_true),
    COL(shades_cclass, 'u', n_predicted), COL(shades_cclass, 'u', n_correct),
    COL(shades_cclass, 'd', tpr),         COL(shades_cclass, 'd', fpr),
    COL(shades_cclass, 'd', ppv),
};

static const shades_h5_column cconfusion_cols[] = {
    COL(shades_cconfusion, 's', partition), COL(shades_cconfusion, 's', group),
    COL(shades_cconfusion, 's', truth),     COL(shades_cconfusion, 's', predicted),
    COL(shades_cconfusion, 'u', count),
};

static const shades_h5_column ithreshold_cols[] = {
    COL(shades_ithreshold, 'd', target_fpir), COL(shades_ithreshold, 'i', estimable),
    COL(shades_ithreshold, 'd', threshold),   COL(shades_ithreshold, 'u', n_nonmated),
    COL(shades_ithreshold, 'u', n_false_positive), COL(shades_ithreshold, 'd', fpir),
    COL(shades_ithreshold, 'u', n_mated),     COL(shades_ithreshold, 'u', n_miss),
    COL(shades_ithreshold, 'd', fnir),
};

static const shades_h5_column igroup_cols[] = {
    COL(shades_igroup, 's', partition),      COL(shades_igroup, 's', group),
    COL(shades_igroup, 'd', target_fpir),    COL(shades_igroup, 'd', threshold),
    COL(shades_igroup, 'u', n_mated),        COL(shades_igroup, 'u', n_miss),
    COL(shades_igroup, 'd', fnir),           COL(shades_igroup, 'd', fnir_wilson_lo),
    COL(shades_igroup, 'd', fnir_wilson_hi), COL(shades_igroup, 'd', fnir_cp_lo),
    COL(shades_igroup, 'd', fnir_cp_hi),     COL(shades_igroup, 'u', n_nonmated),
    COL(shades_igroup, 'u', n_false_positive), COL(shades_igroup, 'd', fpir),
    COL(shades_igroup, 'd', fpir_wilson_lo), COL(shades_igroup, 'd', fpir_wilson_hi),
    COL(shades_igroup, 'd', fpir_cp_lo),     COL(shades_igroup, 'd', fpir_cp_hi),
    COL(shades_igroup, 'i', too_small),
};

static const shades_h5_column icmc_cols[] = {
    COL(shades_icmc, 's', partition), COL(shades_icmc, 's', group),
    COL(shades_icmc, 'u', rank),      COL(shades_icmc, 'u', n_mated),
    COL(shades_icmc, 'u', n_hit),     COL(shades_icmc, 'd', rate),
};

#define TABLE(path, cols, type) {path, cols, NELEM(cols), sizeof(type)}

const shades_h5_table shades_h5_tables[SHADES_H5_N_TABLES] = {
    [SHADES_H5_THRESHOLDS] = TABLE("/verification/thresholds", threshold_cols, shades_vthreshold),
    [SHADES_H5_GROUPS] = TABLE("/verification/groups", group_cols, shades_vgroup),
    [SHADES_H5_EER] = TABLE("/verification/eer", eer_cols, shades_veer),
    [SHADES_H5_DET] = TABLE("/verification/det", det_cols, shades_vdet),
    [SHADES_H5_SUMMARIES] = TABLE("/verification/summaries", summary_cols, shades_vsummary),
    [SHADES_H5_CRITERIA] = TABLE("/criteria", verdict_cols, shades_verdict),
    [SHADES_H5_CGROUPS] = TABLE("/classification/groups", cgroup_cols, shades_crow),
    [SHADES_H5_CCLASSES] = TABLE("/classification/classes", cclass_cols, shades_cclass),
    [SHADES_H5_CCONFUSION] = TABLE("/classification/confusion", cconfusion_cols,
                                   shades_cconfusion),
    [SHADES_H5_ITHRESHOLDS] = TABLE("/identification/thresholds", ithreshold_cols,
                                    shades_ithreshold),
    [SHADES_H5_IGROUPS] = TABLE("/identification/groups", igroup_cols, shades_igroup),
    [SHADES_H5_ICMC] = TABLE("/identification/cmc", icmc_cols, shades_icmc),
};

hid_t shades_h5_compound_type(const shades_h5_table *t, int native)
{
    hid_t type = H5Tcreate(H5T_COMPOUND, t->row_size);
    for (size_t i = 0; i < t->n_cols; i++) {
        const shades_h5_column *c = &t->cols[i];
        hid_t ft;
        if (c->kind == 's') {
            ft = H5Tcopy(H5T_C_S1);
            H5Tset_size(ft, c->size);
            H5Tset_strpad(ft, H5T_STR_NULLTERM);
            H5Tset_cset(ft, H5T_CSET_UTF8);
        } else {
            ft = c->kind == 'd'   ? (native ? H5T_NATIVE_DOUBLE : H5T_IEEE_F64LE)
                 : c->kind == 'u' ? (native ? H5T_NATIVE_UINT64 : H5T_STD_U64LE)
                                  : (native ? H5T_NATIVE_INT32 : H5T_STD_I32LE);
        }
        H5Tinsert(type, c->name, c->offset, ft);
        if (c->kind == 's')
            H5Tclose(ft);
    }
    if (!native)
        H5Tpack(type);
    return type;
}

size_t shades_h5_failure_row_size(size_t wi, size_t ws)
{
    return wi + ws + sizeof(uint64_t) + 2 * SHADES_H5_FAILURE_TAIL;
}

hid_t shades_h5_failure_type(size_t wi, size_t ws, int native)
{
    const size_t widths[] = {wi, ws, SHADES_H5_FAILURE_TAIL, SHADES_H5_FAILURE_TAIL};
    const char *names[] = {"image_id", "subject_id", "stage", "outcome"};
    const size_t offsets[] = {0, wi, wi + ws + 8, wi + ws + 8 + SHADES_H5_FAILURE_TAIL};
    hid_t t = H5Tcreate(H5T_COMPOUND, shades_h5_failure_row_size(wi, ws));
    for (size_t i = 0; i < 4; i++) {
        hid_t s = H5Tcopy(H5T_C_S1);
        H5Tset_size(s, widths[i]);
        H5Tset_strpad(s, H5T_STR_NULLTERM);
        H5Tset_cset(s, H5T_CSET_UTF8);
        H5Tinsert(t, names[i], offsets[i], s);
        H5Tclose(s);
        if (i == 1)
            H5Tinsert(t, "manifest_line", wi + ws, native ? H5T_NATIVE_UINT64 : H5T_STD_U64LE);
    }
    return t;
}

void shades_h5_partition_link(char *out, size_t size, const char *partition)
{
    size_t i = 0;
    for (; partition[i] && i + 1 < size; i++)
        out[i] = partition[i] == '/' ? '|' : partition[i];
    if (size)
        out[i] = '\0';
}
