/**
 * DRF-level defaults in one place, after DRF's `settings.py` `DEFAULTS`: the
 * renderers and parsers every view has, the order `Allow` lists methods in,
 * and the limits of form bodies. The service's own settings, from the
 * environment, are `http/settings.ts`'s.
 *
 * @module
 */

import { formParser, jsonParser, multipartParser, type Parser } from "./parsers/mod.ts";
import type { Renderer } from "./renderers/base.ts";
import { browsableApiRenderer } from "./renderers/browsable_api.ts";
import { jsonRenderer } from "./renderers/json.ts";

/** DRF's `DEFAULT_RENDERER_CLASSES`: JSON (the default), then the browsable API. */
export const DEFAULT_RENDERERS: readonly Renderer[] = [
  jsonRenderer,
  browsableApiRenderer(jsonRenderer),
];

/** DRF's `DEFAULT_PARSER_CLASSES`, in the order OPTIONS lists them. */
export const DEFAULT_PARSERS: readonly Parser[] = [jsonParser, formParser, multipartParser];

/** The order `Allow` lists methods in: Django's `http_method_names`. */
export const METHOD_ORDER: readonly string[] = ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE"];

/** Django's `DATA_UPLOAD_MAX_NUMBER_FIELDS`: the most fields a form body may have. */
export const MAX_FORM_FIELDS = 1000;

/** Django's `DATA_UPLOAD_MAX_NUMBER_FILES`: the most files a multipart body may have. */
export const MAX_FORM_FILES = 100;

/** The largest JSON indentation a client may ask for in `Accept`. */
export const MAX_INDENT = 8;
