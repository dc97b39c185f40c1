// translations/*.json as zendesk_apps_support's validations/translations.rb judges them. Rules
// are the gem's message keys (config/locales/en.yml, txt.apps.admin.error.app_build.translation.*).
import { PRIVATE_APP_KEYS, PRODUCTS, PUBLIC_APP_KEYS, VALID_LOCALE } from './zendesk-catalog.js';
import { productsOf } from './manifest-rules.js';
import { isObject, truthy } from './ruby-values.js';

/** Checks every translations/<locale>.json of the package, in path order as the gem does. */
export function checkTranslations(pkg, manifest, findings) {
  const errorsBefore = findings.errors.length;
  for (const file of pkg.files) {
    const match = /^translations\/(.*)\.json$/.exec(file);
    if (!match) continue;
    if (!VALID_LOCALE.test(match[1])) findings.error('translation.invalid_locale', `${file}: "${match[1]}" is not a valid locale`);
    const json = parseTranslation(pkg, file, findings);
    if (json === null) continue;
    checkPackageFormat(json, file, findings);
    checkParameterLabels(json, file, findings);
    // The gem checks en.json's content only while no translation file has failed so far.
    if (file === 'translations/en.json' && findings.errors.length === errorsBefore) {
      checkRequiredKeys(json, file, manifest, findings);
    }
  }
}

// with_valid_json: translation.not_json, translation.not_json_object.
function parseTranslation(pkg, file, findings) {
  let json;
  try {
    json = JSON.parse(pkg.read(file).toString('utf8'));
  } catch (error) {
    findings.error('translation.not_json', `${file} is not valid JSON: ${error.message}`);
    return null;
  }
  if (!isObject(json)) {
    findings.error('translation.not_json_object', `${file} is not a JSON object`);
    return null;
  }
  return json;
}

// json_error / validate_translation_format: a file with app.package (the format Zendesk's
// translators produce) must hold only objects, down to { "title": string, "value": string } leaves.
function checkPackageFormat(json, file, findings) {
  if (!isObject(json.app) || !truthy(json.app.package)) return;
  const app = { ...json.app };
  delete app.package;
  const offending = firstNonObject({ ...json, app });
  if (offending) findings.error('translation.invalid_format', `${file}: '${offending.key}': ${JSON.stringify(offending.value)} is not an object`);
}

function firstNonObject(node) {
  for (const [key, value] of Object.entries(node)) {
    if (!isObject(value)) return { key, value };
    const keys = Object.keys(value).sort();
    const isLeaf = keys.length === 2 && keys[0] === 'title' && keys[1] === 'value'
      && typeof value.title === 'string' && typeof value.value === 'string';
    if (!isLeaf) {
      const found = firstNonObject(value);
      if (found) return found;
    }
  }
  return null;
}

// format_error: every app.parameters.<name> is an object with a label.
function checkParameterLabels(json, file, findings) {
  const parameters = isObject(json.app) ? json.app.parameters : undefined;
  if (!isObject(parameters)) return;
  const unlabelled = Object.keys(parameters).find((name) => !(isObject(parameters[name]) && Object.hasOwn(parameters[name], 'label')));
  if (unlabelled !== undefined) {
    findings.error('translation.missing_required_key_on_leaf', `${file}: app.parameters.${unlabelled} has no label`);
  }
}

// validate_marketplace_content: app.name for a private app; for a public one (private: false) also
// short_description (or description), long_description and installation_instructions. With
// per-product sections (app.support, app.sell, ...) each needs them, and the products must be
// the manifest's.
function checkRequiredKeys(json, file, manifest, findings) {
  const app = isObject(json.app) ? json.app : {};
  const required = truthy(manifest.private) ? PRIVATE_APP_KEYS : PUBLIC_APP_KEYS;
  const missingFrom = (section) => {
    const keys = (isObject(section) ? Object.keys(section) : []).map((k) => (k === 'description' ? 'short_description' : k));
    return required.filter((k) => !keys.includes(k));
  };
  const products = Object.keys(app).filter((k) => PRODUCTS.some((p) => p.name === k));
  if (products.length === 0) {
    const missing = missingFrom(app);
    if (missing.length > 0) findings.error('translation.missing_required_key', `${file} lacks app.${missing.join(', app.')}`);
    return;
  }
  const manifestProducts = productsOf(manifest);
  const extra = products.filter((p) => !manifestProducts.includes(p));
  if (extra.length > 0) {
    findings.error('translation.products_do_not_match_manifest_products',
      `${file} has sections for ${extra.join(', ')}, which the manifest's locations (${manifestProducts.join(', ')}) do not use`);
  }
  for (const product of products) {
    const missing = missingFrom(app[product]);
    if (missing.length > 0) {
      findings.error('translation.missing_required_key_for_product', `${file} lacks app.${product}.${missing.join(`, app.${product}.`)}`);
      return;
    }
  }
}
