/**
 * Wire types of `GET /jupyter-dsl/story/{n}` (the story of an Ask, as the main-area tab shows it):
 * the types generated from the REST API's OpenAPI description (story.yaml), under the names the
 * story view uses.
 */
import type { components } from '../openapi';

type Schemas = components['schemas'];

/** What a story links to: a file (API path), a run's output notebook, a web page, or only text. */
export type StoryLink = Schemas['StoryLink'];

export type StoryIssue = Schemas['StoryIssue'];

export type StoryExperiment = Schemas['StoryExperiment'];

export type StoryFindings = Schemas['StoryFindings'];

export type Story = Schemas['Story'];

/** `GET /jupyter-dsl/story/{n}`. */
export type StoryReply = Schemas['StoryReply'];
