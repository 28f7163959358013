#ifndef CONTROLGAP_CLIBARCHIVE_SHIM_H
#define CONTROLGAP_CLIBARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>

#endif
