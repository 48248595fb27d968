import { describe, expect, it } from "vitest";
import { encode as referenceEncode, ExtData } from "@msgpack/msgpack";
import { decodeMsgpack } from "./msgpack.ts";
import { encodeMsgpack } from "./msgpack-encode.ts";
import { decodeJson, parseJson } from "./json.ts";
import { fromDynamicValue } from "./dynamic-value.ts";
import { BigDecimal, DynamicValue, isUnknown, numberText, Unknown, UNKNOWN, type TfType } from "./types.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ""), "hex"));

const objectType: TfType = [
  "object",
  {
    name: "string",
    count: "number",
    on: "bool",
    tags: ["set", "string"],
    labels: ["map", "string"],
    rules: ["list", ["object", { id: "string", weight: "number" }]],
  },
];

describe("msgpack: nulls", () => {
  it("reads nil and empty bytes as null for every type", () => {
    for (const t of ["string", "number", "bool", ["list", "string"], objectType] as TfType[]) {
      expect(decodeMsgpack(bytes("c0"), t)).toBeNull();
      expect(decodeMsgpack(new Uint8Array(), t)).toBeNull();
    }
    expect(fromDynamicValue(undefined, objectType)).toBeNull();
    expect(fromDynamicValue({ msgpack: new Uint8Array(), json: new Uint8Array() }, objectType)).toBeNull();
  });

  it("writes null and undefined as nil and fills missing object attributes with nil", () => {
    expect(hex(encodeMsgpack(null, "string"))).toBe("c0");
    expect(hex(encodeMsgpack(undefined, objectType))).toBe("c0");
    const decoded = decodeMsgpack(encodeMsgpack({ name: "a" }, objectType), objectType);
    expect(decoded).toEqual({ name: "a", count: null, on: null, tags: null, labels: null, rules: null });
  });
});

describe("msgpack: unknowns", () => {
  it("reads the plain unknown (ext 0) anywhere", () => {
    expect(decodeMsgpack(bytes("d40000"), "string")).toBe(UNKNOWN);
    const v = decodeMsgpack(referenceEncode({ name: new ExtData(0, new Uint8Array([0])), rules: [{ id: "a", weight: new ExtData(0, new Uint8Array([0])) }] }), objectType) as any;
    expect(isUnknown(v.name)).toBe(true);
    expect(isUnknown(v.rules[0].weight)).toBe(true);
  });

  it("treats every extension type and size as unknown", () => {
    for (const [h, type] of [["d50c0000", 12], ["d6010a0b0c0d", 1], ["c7030c010203", 12], ["c800020cffff", 12], ["c9000000010c00", 12], ["d4ff00", -1]] as const) {
      const v = decodeMsgpack(bytes(h), "string");
      expect(v).toBeInstanceOf(Unknown);
      expect((v as Unknown).ext?.type).toBe(type);
    }
  });

  it("keeps a refined unknown (ext 12, string prefix) and writes it back unchanged", () => {
    // payload: map {2: "https://"} = refinement "string starts with https://"
    const payload = referenceEncode(new Map([[2, "https://"]]));
    const wire = referenceEncode(new ExtData(12, payload));
    const v = decodeMsgpack(wire, "string");
    expect(isUnknown(v)).toBe(true);
    expect(hex(encodeMsgpack(v, "string"))).toBe(hex(wire));
  });

  it("writes the unrefined unknown as d4 00 00", () => {
    expect(hex(encodeMsgpack(UNKNOWN, "number"))).toBe("d40000");
    expect(hex(encodeMsgpack({ name: UNKNOWN }, ["object", { name: "string" }]))).toBe("81a46e616d65d40000");
  });
});

describe("msgpack: numbers", () => {
  it("keeps integers beyond 2^53 exact as bigint, both ways", () => {
    const big = 9007199254740993n; // 2^53 + 1
    const wire = referenceEncode(big, { useBigInt64: true });
    expect(decodeMsgpack(wire, "number")).toBe(big);
    expect(decodeMsgpack(encodeMsgpack(big, "number"), "number")).toBe(big);
    expect(decodeMsgpack(encodeMsgpack(-big, "number"), "number")).toBe(-big);
    expect(decodeMsgpack(encodeMsgpack(2n ** 64n - 1n, "number"), "number")).toBe(2n ** 64n - 1n);
  });

  it("reads small int64-encoded integers as plain numbers", () => {
    expect(decodeMsgpack(bytes("d3 0000000000000005"), "number")).toBe(5);
    expect(decodeMsgpack(bytes("cf 0000000000000007"), "number")).toBe(7);
  });

  it("reads numbers sent as strings: huge integers as bigint, decimals as exact text", () => {
    const huge = "123456789012345678901234567890";
    expect(decodeMsgpack(referenceEncode(huge), "number")).toBe(BigInt(huge));
    expect(hex(encodeMsgpack(BigInt(huge), "number"))).toBe(hex(referenceEncode(huge)));
    const v = decodeMsgpack(referenceEncode("0.1"), "number");
    expect(v).toBeInstanceOf(BigDecimal);
    expect(hex(encodeMsgpack(v, "number"))).toBe(hex(referenceEncode("0.1")));
    expect(decodeMsgpack(referenceEncode("42"), "number")).toBe(42);
    expect(decodeMsgpack(referenceEncode("1e3"), "number")).toBe(1000);
  });

  it("round-trips every integer width and floats", () => {
    for (const n of [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53) + 1, 0.5, -1.25, 1e300]) {
      expect(decodeMsgpack(encodeMsgpack(n, "number"), "number")).toBe(n);
      expect(decodeMsgpack(referenceEncode(n), "number")).toBe(n);
    }
    expect(decodeMsgpack(bytes("ca3fc00000"), "number")).toBe(1.5);
  });

  it("normalises number text for comparisons", () => {
    expect(numberText(new BigDecimal("1.50"))).toBe(numberText(new BigDecimal("15e-1")));
    expect(numberText(9007199254740993n)).toBe("9007199254740993");
    expect(numberText(1.5)).toBe(numberText(new BigDecimal("1.5")));
  });
});

describe("msgpack: collections and nesting", () => {
  it("round-trips nested blocks, sets, maps and objects", () => {
    const value = {
      name: "x",
      count: 3,
      on: true,
      tags: ["b", "a"],
      labels: Object.assign(Object.create(null), { team: "sales" }),
      rules: [{ id: "r1", weight: 1 }, { id: "r2", weight: null }],
    };
    const decoded = decodeMsgpack(encodeMsgpack(value, objectType), objectType);
    expect(decoded).toEqual(value);
    expect(decodeMsgpack(referenceEncode(value), objectType)).toEqual(value);
  });

  it("round-trips empty lists (a nested block list is [] not null) and long strings/arrays", () => {
    const long = "é".repeat(70000);
    const list = Array.from({ length: 70000 }, (_, i) => `v${i}`);
    expect(decodeMsgpack(encodeMsgpack([], ["list", "string"]), ["list", "string"])).toEqual([]);
    expect(decodeMsgpack(encodeMsgpack(long, "string"), "string")).toBe(long);
    expect(decodeMsgpack(encodeMsgpack(list, ["list", "string"]), ["list", "string"])).toEqual(list);
  });

  it("skips attributes the schema does not know and nulls the ones missing", () => {
    const wire = referenceEncode({ name: "a", removed: { deep: [1, "x", { y: null }] }, count: 2 });
    expect(decodeMsgpack(wire, objectType)).toEqual({ name: "a", count: 2, on: null, tags: null, labels: null, rules: null });
  });

  it("round-trips tuples and dynamic values", () => {
    const tt: TfType = ["tuple", ["string", "number"]];
    expect(decodeMsgpack(encodeMsgpack(["a", 1], tt), tt)).toEqual(["a", 1]);
    const dv = new DynamicValue(["list", "string"], ["a"]);
    expect(decodeMsgpack(encodeMsgpack(dv, "dynamic"), "dynamic")).toEqual(dv);
  });

  it("rejects values of the wrong shape with the path", () => {
    expect(() => encodeMsgpack({ count: "many" }, objectType)).toThrow(/count/);
    expect(() => encodeMsgpack({ tags: "a" }, objectType)).toThrow(/expected a set.*tags/);
    expect(() => decodeMsgpack(referenceEncode({ name: 5 }), objectType)).toThrow(/expected a string.*name/);
    expect(() => decodeMsgpack(bytes("a5616263"), "string")).toThrow(/ends early/);
  });
});

describe("odd map keys", () => {
  it("decodes __proto__, constructor and toString as plain map keys without pollution", () => {
    const wire = bytes("83" + "a95f5f70726f746f5f5f" + "a178" + "ab636f6e7374727563746f72" + "a179" + "a8746f537472696e67" + "a17a");
    const m = decodeMsgpack(wire, ["map", "string"]) as Record<string, string>;
    expect(Object.keys(m)).toEqual(["__proto__", "constructor", "toString"]);
    expect(m["__proto__"]).toBe("x");
    expect(({} as any).x).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("x");
    expect(hex(encodeMsgpack(m, ["map", "string"]))).toBe(hex(wire));
  });

  it("ignores an object attribute named __proto__ that the schema lacks", () => {
    const wire = bytes("82" + "a95f5f70726f746f5f5f" + "81a170a17a" + "a46e616d65" + "a161");
    const v = decodeMsgpack(wire, ["object", { name: "string" }]) as any;
    expect(v).toEqual({ name: "a" });
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as any).p).toBeUndefined();
  });

  it("JSON: __proto__ keys are plain keys too", () => {
    const m = decodeJson('{"__proto__": "x", "a": "b"}', ["map", "string"]) as Record<string, string>;
    expect(Object.keys(m)).toEqual(["__proto__", "a"]);
    expect(({} as any).x).toBeUndefined();
  });
});

describe("JSON (raw_state)", () => {
  it("keeps big and decimal numbers exact and drops removed attributes", () => {
    const t: TfType = ["object", { id: "string", big: "number", ratio: "number", n: "number", kept: ["list", "number"] }];
    const v = decodeJson('{"id":"a","big":9007199254740993,"ratio":0.1,"n":-12,"kept":[1,2.5],"gone":{"x":1}}', t) as any;
    expect(v.big).toBe(9007199254740993n);
    expect(v.ratio).toEqual(new BigDecimal("0.1"));
    expect(v.n).toBe(-12);
    expect(v.kept).toEqual([1, new BigDecimal("2.5")]);
    expect(Object.keys(v)).toEqual(["id", "big", "ratio", "n", "kept"]);
    expect(hex(encodeMsgpack(v.ratio, "number"))).toBe(hex(referenceEncode("0.1")));
  });

  it("parses escapes and rejects malformed JSON", () => {
    expect(parseJson('"a\\"b\\u00e9\\\\"')).toBe('a"bé\\');
    expect(() => parseJson("{")).toThrow(/invalid JSON/);
    expect(() => parseJson('{"a":1} x')).toThrow(/trailing/);
    expect(() => parseJson("[1,]")).toThrow(/invalid JSON/);
  });

  it("is the fallback when a DynamicValue has no msgpack", () => {
    expect(fromDynamicValue({ json: Buffer.from('{"name":"j"}') }, ["object", { name: "string" }])).toEqual({ name: "j" });
  });
});
