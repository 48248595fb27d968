// Writes console/src/api-types.ts (see openapi-types.ts).
import { writeFileSync } from "node:fs";
import { API_TYPES_FILE, apiTypesSource } from "./openapi-types.ts";

writeFileSync(API_TYPES_FILE, await apiTypesSource());
console.log(`wrote ${API_TYPES_FILE}`);
