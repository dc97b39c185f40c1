// Would Zendesk accept this folder as a private client-side app? The checks zendesk_apps_support
// (the Ruby gem Zendesk runs on upload, github.com/zendesk/zendesk_apps_support 4.52.0) makes,
// reimplemented from its source, in the order and under the conditions of its package.rb
// `validate`, on the files zcli would put into the zip.
//
// Covered: framework v2 apps whose locations run in an iframe. Left out: requirementsOnly and
// marketingOnly apps and requirements.json (validations/requirements.rb, custom objects), the v1
// checks of templates and stylesheets, the mtls parameter type and custom_object_record_sidebar
// (both behind options Zendesk turns on per account), SVG sanitising by Loofah's allow-list, and
// most of secrets.rb's pattern table. An app served from its own server passes the same manifest
// checks (an https location url is accepted); nothing about that server is checked.
//
// Each finding is { rule, message }; rule is the gem's message key (config/locales/en.yml,
// txt.apps.admin.error.app_build.<rule> or .warning.app_build.<rule>), or a name of our own
// where a rule comes from elsewhere (see file-rules.js and manifest-rules.js).
import { readAppPackage } from './app-package.js';
import {
  checkBanner, checkFileTypes, checkSymlinks, checkZipSize, warnInsecureRequests, warnMissingIcons,
  warnRequirements, warnSecrets, warnSvgBitmaps, warnZcliIgnore,
} from './file-rules.js';
import { checkExperiments, checkManifest, warnSecureSettings } from './manifest-rules.js';
import { checkTranslations } from './translation-rules.js';

/** Validates the app folder `dir`: { errors: [{ rule, message }], warnings: [{ rule, message }] }. */
export function validateAppFolder(dir) {
  const pkg = readAppPackage(dir);
  const findings = new Findings();
  const manifest = checkManifest(pkg, findings);
  // package.rb runs these only on a manifest without errors.
  if (manifest !== null && findings.errors.length === 0) {
    checkSymlinks(pkg, findings);
    checkExperiments(manifest, findings);
    checkTranslations(pkg, manifest, findings);
    warnSecureSettings(manifest, findings);
    warnInsecureRequests(pkg, findings);
  }
  checkBanner(pkg, findings);
  warnSvgBitmaps(pkg, findings);
  checkFileTypes(pkg, findings);
  warnSecrets(pkg, findings);
  checkZipSize(pkg, findings);
  warnZcliIgnore(pkg, findings);
  warnRequirements(pkg, findings);
  if (manifest !== null) warnMissingIcons(pkg, manifest, findings);
  return { errors: findings.errors, warnings: findings.warnings };
}

class Findings {
  errors = [];
  warnings = [];

  error(rule, message) {
    this.errors.push({ rule, message });
  }

  warning(rule, message) {
    this.warnings.push({ rule, message });
  }
}
