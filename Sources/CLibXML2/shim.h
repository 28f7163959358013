#ifndef CONTROLGAP_CLIBXML2_SHIM_H
#define CONTROLGAP_CLIBXML2_SHIM_H

// Foundation on Linux carries its own ICU. Debian's libxml2 is built with ICU support,
// and letting its headers pull in the system ICU makes one module see two ICUs.
// Undefining the feature macro right after xmlversion.h keeps ICU types out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlsave.h>

#endif
