export function packPackage(folder: string): string;
export function makeConsumerProject(project: string, tarball: string, linked: string[]): void;
export function readmeBlocks(readme: string): Array<{ language: string; code: string }>;
