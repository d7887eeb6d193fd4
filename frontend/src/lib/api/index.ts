// The UI's one door to Go: every api module, re-exported so a component imports
// from 'lib/api' without knowing which service answers.
export * from './types';
export * from './call';
export * from './app';
export * from './inbox';
export * from './accounts';
export * from './crisis';
export * from './compose';
export * from './library';
export * from './models';
export * from './sla';
export * from './authors';
export * from './analytics';
export * from './classify';
export * from './events';
export * from './importer';
export * from './listening';
export * from './listeningAnalytics';
