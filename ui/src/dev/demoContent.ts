// Task content copied from the demo packages (audio-fixtures/packages/en-7, de-7) for the dev preview.
import type { TaskContent } from "../bindings/TaskContent";

export interface DemoTask { number: number; title: string; instruction: string; max_score: number; content: TaskContent }
export { en7Title, en7Briefing, en7Tasks } from "./demoEn7";
export { de7Title, de7Briefing, de7Tasks } from "./demoDe7";
export { en11Reading } from "./demoEn11";
