package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One semantic rule: what the JSON Schema cannot say. Rules read the raw tree, so they must skip
 * values of the wrong type quietly: the schema has already reported those.
 */
interface SpecRule {

    void check(JsonNode root, Violations out);
}
