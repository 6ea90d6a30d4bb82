#include "h5_schema.h"

#include <stdio.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const sh_h5_attr sh_h5_string_attrs[] = {
#define SH_RUN_TEXT(member, name, since) {name, offsetof(sh_run_info, member), since},
#define SH_RUN_COUNT(member, name, since)
#include "run_info.def"
#undef SH_RUN_TEXT
#undef SH_RUN_COUNT
};
const size_t sh_h5_n_string_attrs = NELEM(sh_h5_string_attrs);

const sh_h5_attr sh_h5_u64_attrs[] = {
#define SH_RUN_TEXT(member, name, since)
#define SH_RUN_COUNT(member, name, since) {name, offsetof(sh_run_info, member), since},
#include "run_info.def"
#undef SH_RUN_TEXT
#undef SH_RUN_COUNT
};
const size_t sh_h5_n_u64_attrs = NELEM(sh_h5_u64_attrs);

const sh_h5_attr sh_h5_model_card_attrs[] = {
#define SH_MODEL_CARD_TEXT(member, name, since) {name, offsetof(sh_model_card_info, member), since},
#include "model_card_fields.def"
#undef SH_MODEL_CARD_TEXT
};
const size_t sh_h5_n_model_card_attrs = NELEM(sh_h5_model_card_attrs);

const sh_h5_attr sh_h5_service_attrs[] = {
#define SH_SERVICE_TEXT(member, name, since) {name, offsetof(sh_service_info, member), since},
#include "service_fields.def"
#undef SH_SERVICE_TEXT
};
const size_t sh_h5_n_service_attrs = NELEM(sh_h5_service_attrs);

#define COL(type, kind, member) COL_SINCE(type, kind, member, 0)
#define COL_SINCE(type, kind, member, since)                                                \
    {#member, offsetof(type, member), kind, sizeof(((type *)0)->member), since}
/* A bounded summary: the value and its two bounds. */
#define BOUNDED(member)                                                                     \
    COL(sh_vsummary, 'd', member), COL(sh_vsummary, 'd', member##_lo),                      \
        COL(sh_vsummary, 'd', member##_hi),

static const sh_h5_column threshold_cols[] = {
    COL(sh_vthreshold, 'd', target_fmr),    COL(sh_vthreshold, 'i', estimable),
    COL(sh_vthreshold, 'd', threshold),     COL(sh_vthreshold, 'u', n_impostor),
    COL(sh_vthreshold, 'u', n_false_match), COL(sh_vthreshold, 'd', fmr),
    COL(sh_vthreshold, 'u', n_genuine),     COL(sh_vthreshold, 'u', n_false_nonmatch),
    COL(sh_vthreshold, 'd', fnmr),
    COL_SINCE(sh_vthreshold, 's', point, 10), COL_SINCE(sh_vthreshold, 'd', target_fnmr, 10),
};

static const sh_h5_column group_cols[] = {
    COL(sh_vgroup, 's', partition),
    COL(sh_vgroup, 's', group),
    COL(sh_vgroup, 'd', target_fmr),
    COL(sh_vgroup, 'd', threshold),
    COL(sh_vgroup, 'u', n_subjects),
    COL(sh_vgroup, 'u', n_images),
    COL(sh_vgroup, 'u', n_fte),
    COL(sh_vgroup, 'd', fte),
    COL(sh_vgroup, 'd', fte_wilson_lo),
    COL(sh_vgroup, 'd', fte_wilson_hi),
    COL(sh_vgroup, 'd', fte_cp_lo),
    COL(sh_vgroup, 'd', fte_cp_hi),
    COL(sh_vgroup, 'u', n_genuine),
    COL(sh_vgroup, 'u', n_genuine_failed),
    COL(sh_vgroup, 'u', n_false_nonmatch),
    COL(sh_vgroup, 'd', fnmr),
    COL(sh_vgroup, 'd', fnmr_wilson_lo),
    COL(sh_vgroup, 'd', fnmr_wilson_hi),
    COL(sh_vgroup, 'd', fnmr_cp_lo),
    COL(sh_vgroup, 'd', fnmr_cp_hi),
    COL(sh_vgroup, 'd', fnmr_boot_lo),
    COL(sh_vgroup, 'd', fnmr_boot_hi),
    COL(sh_vgroup, 'd', fnmr_without_failures),
    COL(sh_vgroup, 'u', n_impostor),
    COL(sh_vgroup, 'u', n_false_match),
    COL(sh_vgroup, 'd', fmr),
    COL(sh_vgroup, 'd', fmr_wilson_lo),
    COL(sh_vgroup, 'd', fmr_wilson_hi),
    COL(sh_vgroup, 'd', fmr_cp_lo),
    COL(sh_vgroup, 'd', fmr_cp_hi),
    COL(sh_vgroup, 'd', fmr_boot_lo),
    COL(sh_vgroup, 'd', fmr_boot_hi),
    COL(sh_vgroup, 'i', group_estimable),
    COL(sh_vgroup, 'd', group_threshold),
    COL(sh_vgroup, 'd', group_fnmr),
    COL(sh_vgroup, 'i', too_small),
    COL_SINCE(sh_vgroup, 's', point, 10),
    COL_SINCE(sh_vgroup, 'd', target_fnmr, 10),
    COL_SINCE(sh_vgroup, 'd', group_fmr, 10),
    COL_SINCE(sh_vgroup, 's', reference, 10),
    COL_SINCE(sh_vgroup, 'd', fnmr_ratio, 10),
    COL_SINCE(sh_vgroup, 'd', fnmr_ratio_lo, 10),
    COL_SINCE(sh_vgroup, 'd', fnmr_ratio_hi, 10),
    COL_SINCE(sh_vgroup, 'd', fmr_ratio, 10),
    COL_SINCE(sh_vgroup, 'd', fmr_ratio_lo, 10),
    COL_SINCE(sh_vgroup, 'd', fmr_ratio_hi, 10),
    COL_SINCE(sh_vgroup, 'd', group_threshold_lo, 12),
    COL_SINCE(sh_vgroup, 'd', group_threshold_hi, 12),
    COL_SINCE(sh_vgroup, 'd', group_fnmr_lo, 12),
    COL_SINCE(sh_vgroup, 'd', group_fnmr_hi, 12),
    COL_SINCE(sh_vgroup, 'd', group_fmr_lo, 12),
    COL_SINCE(sh_vgroup, 'd', group_fmr_hi, 12),
    COL_SINCE(sh_vgroup, 's', group_boot_note, 12),
};

static const sh_h5_column eer_cols[] = {
    COL(sh_veer, 's', partition), COL(sh_veer, 's', group),
    COL(sh_veer, 'u', n_genuine), COL(sh_veer, 'u', n_impostor),
    COL(sh_veer, 'd', eer),       COL(sh_veer, 'd', eer_threshold),
    COL_SINCE(sh_veer, 'd', eer_boot_lo, 12), COL_SINCE(sh_veer, 'd', eer_boot_hi, 12),
    COL_SINCE(sh_veer, 's', eer_boot_note, 12),
};

static const sh_h5_column det_cols[] = {
    COL(sh_vdet, 's', partition), COL(sh_vdet, 's', group),
    COL(sh_vdet, 'd', threshold), COL(sh_vdet, 'd', fmr),
    COL(sh_vdet, 'd', fnmr),
};

static const sh_h5_column summary_cols[] = {
    COL(sh_vsummary, 's', partition),
    COL(sh_vsummary, 'd', target_fmr),
    COL(sh_vsummary, 'd', threshold),
    COL(sh_vsummary, 'd', alpha),
    COL(sh_vsummary, 'i', fnmr_groups),
    COL(sh_vsummary, 'i', fnmr_zero_groups),
    COL(sh_vsummary, 'i', fmr_groups),
    COL(sh_vsummary, 'i', fmr_zero_groups),
#define SH_VSUMMARY(name, value, heading) BOUNDED(name)
#define SH_VSUMMARY_GAP SH_VSUMMARY
#include "vsummary_fields.def"
#undef SH_VSUMMARY
#undef SH_VSUMMARY_GAP
#define SH_VSUMMARY(name, value, heading)
#define SH_VSUMMARY_GAP(name, value, heading)                                              \
    COL(sh_vsummary, 's', name##_high), COL(sh_vsummary, 's', name##_low),                 \
        COL(sh_vsummary, 'd', name##_p),
#include "vsummary_fields.def"
#undef SH_VSUMMARY
#undef SH_VSUMMARY_GAP
    COL_SINCE(sh_vsummary, 's', point, 10),
    COL_SINCE(sh_vsummary, 'd', target_fnmr, 10),
};

static const sh_h5_column verdict_cols[] = {
    COL(sh_verdict, 's', name),     COL(sh_verdict, 's', measure),
    COL(sh_verdict, 's', partition), COL(sh_verdict, 's', group),
    COL(sh_verdict, 'd', target_fmr), COL(sh_verdict, 's', bound),
    COL(sh_verdict, 's', interval), COL(sh_verdict, 's', op),
    COL(sh_verdict, 'd', limit),    COL(sh_verdict, 'd', value),
    COL(sh_verdict, 'i', pass),     COL(sh_verdict, 's', reason),
    COL_SINCE(sh_verdict, 's', point, 10), COL_SINCE(sh_verdict, 'd', target_fnmr, 10),
    COL_SINCE(sh_verdict, 'd', threshold, 10),
};

static const sh_h5_column cgroup_cols[] = {
    COL(sh_crow, 's', partition),      COL(sh_crow, 's', group),
    COL(sh_crow, 'u', n),              COL(sh_crow, 'u', errors),
    COL(sh_crow, 'u', n_no_prediction), COL(sh_crow, 'd', error_rate),
    COL(sh_crow, 'd', error_wilson_lo), COL(sh_crow, 'd', error_wilson_hi),
    COL(sh_crow, 'd', error_cp_lo),    COL(sh_crow, 'd', error_cp_hi),
    COL(sh_crow, 'd', error_share),    COL(sh_crow, 'i', too_small),
    COL_SINCE(sh_crow, 'd', error_boot_lo, 11), COL_SINCE(sh_crow, 'd', error_boot_hi, 11),
};

/* A bounded classification summary: the value and its two bounds. */
#define CBOUNDED(member)                                                                    \
    COL(sh_csummary, 'd', member), COL(sh_csummary, 'd', member##_lo),                      \
        COL(sh_csummary, 'd', member##_hi)

static const sh_h5_column csummary_cols[] = {
    COL(sh_csummary, 's', partition),      COL(sh_csummary, 'i', n_groups),
    COL(sh_csummary, 'i', zero_groups),    CBOUNDED(error_max_min),
    CBOUNDED(error_max_geomean),           CBOUNDED(error_gini),
    CBOUNDED(error_gap),                   COL(sh_csummary, 's', error_gap_high),
    COL(sh_csummary, 's', error_gap_low),  COL(sh_csummary, 'd', error_gap_p),
    COL(sh_csummary, 'i', df),             COL(sh_csummary, 'd', chi2),
    COL(sh_csummary, 'd', p_chi2),         COL(sh_csummary, 'd', p_boot),
};

static const sh_h5_column cpair_test_cols[] = {
    COL(sh_cpair_test, 's', partition),    COL(sh_cpair_test, 's', group_a),
    COL(sh_cpair_test, 's', group_b),      COL(sh_cpair_test, 'u', errors_a),
    COL(sh_cpair_test, 'u', n_a),          COL(sh_cpair_test, 'u', errors_b),
    COL(sh_cpair_test, 'u', n_b),          COL(sh_cpair_test, 'd', p_fisher),
    COL(sh_cpair_test, 'd', p_fisher_holm), COL(sh_cpair_test, 'd', p_boot),
    COL(sh_cpair_test, 'd', p_boot_holm),
};

static const sh_h5_column cclass_cols[] = {
    COL(sh_cclass, 's', partition),   COL(sh_cclass, 's', group),
    COL(sh_cclass, 's', class_name),  COL(sh_cclass, 'u', n_true),
    COL(sh_cclass, 'u', n_predicted), COL(sh_cclass, 'u', n_correct),
    COL(sh_cclass, 'd', tpr),         COL(sh_cclass, 'd', fpr),
    COL(sh_cclass, 'd', ppv),
};

static const sh_h5_column cconfusion_cols[] = {
    COL(sh_cconfusion, 's', partition), COL(sh_cconfusion, 's', group),
    COL(sh_cconfusion, 's', truth),     COL(sh_cconfusion, 's', predicted),
    COL(sh_cconfusion, 'u', count),
};

static const sh_h5_column ithreshold_cols[] = {
    COL(sh_ithreshold, 'd', target_fpir), COL(sh_ithreshold, 'i', estimable),
    COL(sh_ithreshold, 'd', threshold),   COL(sh_ithreshold, 'u', n_nonmated),
    COL(sh_ithreshold, 'u', n_false_positive), COL(sh_ithreshold, 'd', fpir),
    COL(sh_ithreshold, 'u', n_mated),     COL(sh_ithreshold, 'u', n_miss),
    COL(sh_ithreshold, 'd', fnir),
};

static const sh_h5_column igroup_cols[] = {
    COL(sh_igroup, 's', partition),      COL(sh_igroup, 's', group),
    COL(sh_igroup, 'd', target_fpir),    COL(sh_igroup, 'd', threshold),
    COL(sh_igroup, 'u', n_mated),        COL(sh_igroup, 'u', n_miss),
    COL(sh_igroup, 'd', fnir),           COL(sh_igroup, 'd', fnir_wilson_lo),
    COL(sh_igroup, 'd', fnir_wilson_hi), COL(sh_igroup, 'd', fnir_cp_lo),
    COL(sh_igroup, 'd', fnir_cp_hi),     COL(sh_igroup, 'u', n_nonmated),
    COL(sh_igroup, 'u', n_false_positive), COL(sh_igroup, 'd', fpir),
    COL(sh_igroup, 'd', fpir_wilson_lo), COL(sh_igroup, 'd', fpir_wilson_hi),
    COL(sh_igroup, 'd', fpir_cp_lo),     COL(sh_igroup, 'd', fpir_cp_hi),
    COL(sh_igroup, 'i', too_small),
};

static const sh_h5_column icmc_cols[] = {
    COL(sh_icmc, 's', partition), COL(sh_icmc, 's', group),
    COL(sh_icmc, 'u', rank),      COL(sh_icmc, 'u', n_mated),
    COL(sh_icmc, 'u', n_hit),     COL(sh_icmc, 'd', rate),
};

static const sh_h5_column model_file_cols[] = {
    COL(sh_model_file, 's', path),
    COL(sh_model_file, 's', sha256),
    COL(sh_model_file, 'u', bytes),
};

static const sh_h5_column model_card_file_cols[] = {
    COL(sh_model_card_file, 's', path),
    COL(sh_model_card_file, 's', sha256),
    COL(sh_model_card_file, 's', purpose),
};

static const sh_h5_column provenance_cols[] = {
    COL(sh_provenance_pair, 's', key),
    COL(sh_provenance_pair, 's', value),
};

static const sh_h5_column density_cols[] = {
    COL(sh_vdensity, 's', partition), COL(sh_vdensity, 's', group),
    COL(sh_vdensity, 's', kind),      COL(sh_vdensity, 'd', bin_lo),
    COL(sh_vdensity, 'd', bin_hi),    COL(sh_vdensity, 'u', count),
};

static const sh_h5_column test_cols[] = {
    COL(sh_vtest, 's', partition),   COL(sh_vtest, 's', point),
    COL(sh_vtest, 'd', target_fmr),  COL(sh_vtest, 'd', target_fnmr),
    COL(sh_vtest, 'd', threshold),   COL(sh_vtest, 's', rate),
    COL(sh_vtest, 'i', n_groups),    COL(sh_vtest, 'i', df),
    COL(sh_vtest, 'd', chi2),        COL(sh_vtest, 'd', p_chi2),
    COL(sh_vtest, 'd', p_boot),
};

static const sh_h5_column pair_test_cols[] = {
    COL(sh_vpair_test, 's', partition),     COL(sh_vpair_test, 's', point),
    COL(sh_vpair_test, 'd', target_fmr),    COL(sh_vpair_test, 'd', target_fnmr),
    COL(sh_vpair_test, 'd', threshold),     COL(sh_vpair_test, 's', rate),
    COL(sh_vpair_test, 's', group_a),       COL(sh_vpair_test, 's', group_b),
    COL(sh_vpair_test, 'u', errors_a),      COL(sh_vpair_test, 'u', n_a),
    COL(sh_vpair_test, 'u', errors_b),      COL(sh_vpair_test, 'u', n_b),
    COL(sh_vpair_test, 'd', p_fisher),      COL(sh_vpair_test, 'd', p_fisher_holm),
    COL(sh_vpair_test, 'd', p_boot),        COL(sh_vpair_test, 'd', p_boot_holm),
};

static const sh_h5_column score_cols[] = {
    COL(sh_vscore, 's', partition),     COL(sh_vscore, 's', group),
    COL(sh_vscore, 'u', n_genuine),     COL(sh_vscore, 'u', n_impostor),
    COL(sh_vscore, 'd', genuine_mean),  COL(sh_vscore, 'd', genuine_sd),
    COL(sh_vscore, 'd', impostor_mean), COL(sh_vscore, 'd', impostor_sd),
    COL(sh_vscore, 'd', d_prime),       COL(sh_vscore, 'd', auc),
    COL(sh_vscore, 'd', auc_lo),        COL(sh_vscore, 'd', auc_hi),
    COL(sh_vscore, 'd', max_impostor),  COL(sh_vscore, 'd', zero_fmr),
    COL(sh_vscore, 'd', min_genuine),   COL(sh_vscore, 'd', zero_fnmr),
    COL(sh_vscore, 'i', too_small),     COL_SINCE(sh_vscore, 'u', n_genuine_unscored, 15),
    COL_SINCE(sh_vscore, 'u', n_impostor_unscored, 15),
};

static const sh_h5_column roc_cols[] = {
    COL(sh_vroc, 's', partition),        COL(sh_vroc, 's', group),
    COL(sh_vroc, 'd', threshold),        COL(sh_vroc, 'u', n_genuine),
    COL(sh_vroc, 'u', n_false_nonmatch), COL(sh_vroc, 'u', n_impostor),
    COL(sh_vroc, 'u', n_false_match),    COL(sh_vroc, 'd', fnmr),
    COL(sh_vroc, 'd', fmr),              COL(sh_vroc, 'i', exact_since_previous),
};

static const sh_h5_column fold_cols[] = {
    COL(sh_vfold, 's', partition),  COL(sh_vfold, 's', group),
    COL(sh_vfold, 'i', fold),       COL(sh_vfold, 'd', threshold),
    COL(sh_vfold, 'u', n_genuine),  COL(sh_vfold, 'u', n_impostor),
    COL(sh_vfold, 'u', n_correct),  COL(sh_vfold, 'd', accuracy),
};

static const sh_h5_column fold_accuracy_cols[] = {
    COL(sh_vfold_summary, 's', partition), COL(sh_vfold_summary, 's', group),
    COL(sh_vfold_summary, 'u', n_folds),   COL(sh_vfold_summary, 'd', mean),
    COL(sh_vfold_summary, 'd', sd),        COL(sh_vfold_summary, 'd', se),
    COL(sh_vfold_summary, 'd', min),       COL(sh_vfold_summary, 'd', max),
};

#define TABLE(path, cols, type) {path, cols, NELEM(cols), sizeof(type)}

const sh_h5_table sh_h5_tables[SH_H5_N_TABLES] = {
    [SH_H5_THRESHOLDS] = TABLE("/verification/thresholds", threshold_cols, sh_vthreshold),
    [SH_H5_GROUPS] = TABLE("/verification/groups", group_cols, sh_vgroup),
    [SH_H5_EER] = TABLE("/verification/eer", eer_cols, sh_veer),
    [SH_H5_DET] = TABLE("/verification/det", det_cols, sh_vdet),
    [SH_H5_SUMMARIES] = TABLE("/verification/summaries", summary_cols, sh_vsummary),
    [SH_H5_CRITERIA] = TABLE("/criteria", verdict_cols, sh_verdict),
    [SH_H5_CGROUPS] = TABLE("/classification/groups", cgroup_cols, sh_crow),
    [SH_H5_CCLASSES] = TABLE("/classification/classes", cclass_cols, sh_cclass),
    [SH_H5_CCONFUSION] = TABLE("/classification/confusion", cconfusion_cols,
                                   sh_cconfusion),
    [SH_H5_ITHRESHOLDS] = TABLE("/identification/thresholds", ithreshold_cols,
                                    sh_ithreshold),
    [SH_H5_IGROUPS] = TABLE("/identification/groups", igroup_cols, sh_igroup),
    [SH_H5_ICMC] = TABLE("/identification/cmc", icmc_cols, sh_icmc),
    [SH_H5_MODEL_FILES] = TABLE("/engine/model_files", model_file_cols, sh_model_file),
    [SH_H5_DENSITY] = TABLE("/verification/score_density", density_cols, sh_vdensity),
    [SH_H5_MODEL_CARD_FILES] = TABLE(SH_H5_MODEL_CARD "/files", model_card_file_cols,
                                     sh_model_card_file),
    [SH_H5_PROVENANCE] = TABLE("/engine/provenance", provenance_cols, sh_provenance_pair),
    [SH_H5_TESTS] = TABLE("/verification/tests", test_cols, sh_vtest),
    [SH_H5_PAIRWISE] = TABLE("/verification/pairwise", pair_test_cols, sh_vpair_test),
    [SH_H5_CSUMMARIES] = TABLE("/classification/summaries", csummary_cols, sh_csummary),
    [SH_H5_CPAIRWISE] = TABLE("/classification/pairwise", cpair_test_cols, sh_cpair_test),
    [SH_H5_SCORES] = TABLE("/verification/scores", score_cols, sh_vscore),
    [SH_H5_ROC] = TABLE("/verification/roc", roc_cols, sh_vroc),
    [SH_H5_FOLDS] = TABLE("/verification/folds", fold_cols, sh_vfold),
    [SH_H5_FOLD_ACCURACY] =
        TABLE("/verification/fold_accuracy", fold_accuracy_cols, sh_vfold_summary),
};

/* The type of t's columns; with in_file >= 0, only those it has. */
static hid_t compound_type(const sh_h5_table *t, int native, hid_t in_file)
{
    hid_t type = H5Tcreate(H5T_COMPOUND, t->row_size);
    for (size_t i = 0; i < t->n_cols; i++) {
        const sh_h5_column *c = &t->cols[i];
        if (in_file >= 0 && H5Tget_member_index(in_file, c->name) < 0)
            continue;
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

hid_t sh_h5_compound_type(const sh_h5_table *t, int native)
{
    return compound_type(t, native, -1);
}

hid_t sh_h5_compound_type_read(const sh_h5_table *t, hid_t in_file)
{
    return compound_type(t, 1, in_file);
}

size_t sh_h5_failure_row_size(size_t wi, size_t ws)
{
    return wi + ws + sizeof(uint64_t) + 2 * SH_H5_FAILURE_TAIL;
}

hid_t sh_h5_failure_type(size_t wi, size_t ws, int native)
{
    const size_t widths[] = {wi, ws, SH_H5_FAILURE_TAIL, SH_H5_FAILURE_TAIL};
    const char *names[] = {"image_id", "subject_id", "stage", "outcome"};
    const size_t offsets[] = {0, wi, wi + ws + 8, wi + ws + 8 + SH_H5_FAILURE_TAIL};
    hid_t t = H5Tcreate(H5T_COMPOUND, sh_h5_failure_row_size(wi, ws));
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

void sh_h5_partition_link(char *out, size_t size, const char *partition)
{
    size_t i = 0;
    for (; partition[i] && i + 1 < size; i++)
        out[i] = partition[i] == '/' ? '|' : partition[i];
    if (size)
        out[i] = '\0';
}
