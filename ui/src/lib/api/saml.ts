// Typed wrappers over the SAML builder's commands (Rust: src-tauri/src/commands/saml.rs).
import type { SamlBuild } from '../../bindings/SamlBuild';
import type { SamlField } from '../../bindings/SamlField';
import type { SamlUserOption } from '../../bindings/SamlUserOption';
import type { Mapping } from '../../bindings/saml/Mapping';
import type { Preset } from '../../bindings/saml/Preset';
import type { RenderOptions } from '../../bindings/saml/RenderOptions';
import type { ValueReport } from '../../bindings/saml/ValueReport';
import { call } from '../ipc';

export function samlFields(): Promise<SamlField[]> {
  return call<SamlField[]>('saml_fields');
}

export function samlPresets(): Promise<Preset[]> {
  return call<Preset[]>('saml_presets');
}

export function samlUsers(search: string, limit: number): Promise<SamlUserOption[]> {
  return call<SamlUserOption[]>('saml_users', { search, limit });
}

/**
 * Template XML without `userId`; that user's resolved values with it. `consoleKeys`: keys also set on
 * IAM Identity Center's "Attributes for access control" page; each mapping with one gets a warning.
 */
export function samlBuild(
  mappings: Mapping[],
  userId: string | null,
  options: RenderOptions,
  consoleKeys: string[] = [],
): Promise<SamlBuild> {
  return call<SamlBuild>('saml_build', { mappings, userId, options, consoleKeys });
}

export function samlCheckValues(mappings: Mapping[]): Promise<ValueReport> {
  return call<ValueReport>('saml_check_values', { mappings });
}
