// Types of @civic/deploy-check's public face (the sources are plain .mjs: no build step).

export interface Problem {
  /** The file, relative to the repository root. */
  readonly file: string;
  /** Where inside it: `Deployment/x (document 2)`, a compose service, `line 3:5`. */
  readonly where: string;
  readonly message: string;
}

export interface ParsedDocument {
  readonly file: string;
  readonly index: number;
  readonly value: unknown;
}

export interface ComposeTool {
  readonly path: string;
  readonly installed: boolean;
}

export interface ComposeResult {
  /** False only when docker-compose could not be found nor installed (problems say why). */
  readonly ran: boolean;
  readonly compose: ComposeTool | undefined;
  readonly problems: readonly Problem[];
}

export interface KubernetesResult {
  readonly files: readonly string[];
  readonly objects: number;
  readonly problems: readonly Problem[];
}

export interface ProgramService {
  readonly name: string;
  readonly program: string;
  readonly service: Record<string, unknown>;
  readonly env: Record<string, string>;
}

export interface Section {
  readonly name: string;
  readonly summary: string;
  readonly problems: readonly Problem[];
}

export const COMPOSE_FILE: string;
export const K8S_DIR: string;
export const KINDS: Readonly<Record<string, { apiVersion: string; schema: string; namespaced: boolean }>>;

export class ToolUnavailableError extends Error {}

export function validateAll(root: string, options?: { install?: boolean }): Promise<Section[]>;
export function validateCompose(
  root: string,
  options?: { file?: string; install?: boolean; program?: string },
): ComposeResult;
export function validateKubernetes(root: string, dir?: string): Promise<KubernetesResult>;
export function validateObject(document: ParsedDocument): Promise<Problem[]>;
export function programServices(config: unknown): ProgramService[];
export function checkNatsConfigs(root: string): Problem[];
export function checkPostgresInit(root: string): Problem[];
export function checkDockerfile(root: string): Problem[];
export function parseDockerfile(text: string): { line: number; keyword: string; args: string }[];
export function ensureDockerCompose(options?: { install?: boolean; program?: string }): ComposeTool;
export function findProgram(program: string, extraDirs?: readonly string[]): string | undefined;
export function formatProblem(problem: Problem): string;
export function problem(file: string, where: string, message: string): Problem;
export function watchReads<T extends object>(root: T): { proxy: T; unknownKeys: () => (string | number)[][] };
