export function buildFrameworkApps(): Promise<void>;
