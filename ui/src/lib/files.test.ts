import { describe, expect, it } from "vitest";
import { folderOf, remember, rememberedFolder, savePath, type FolderStore } from "./files";

function fakeStore(): FolderStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe("remembered folders", () => {
  it("takes a file's folder on every platform", () => {
    expect(folderOf("/home/school/Загрузки/список 7 классов.xlsx")).toBe("/home/school/Загрузки");
    expect(folderOf("C:\\Users\\school\\form.xlsx")).toBe("C:\\Users\\school");
    expect(folderOf("/roster.csv")).toBe("/");
    expect(folderOf("roster.csv")).toBe("");
  });

  it("remembers per kind and offers the folder to the next dialog", () => {
    const s = fakeStore();
    expect(rememberedFolder("roster", s)).toBeUndefined();
    remember("roster", "/media/usb/списки/7А.csv", false, s);
    remember("export", "/home/school/Выгрузка/", true, s);
    expect(rememberedFolder("roster", s)).toBe("/media/usb/списки");
    expect(rememberedFolder("export", s)).toBe("/home/school/Выгрузка");
    expect(rememberedFolder("form", s)).toBeUndefined();
    expect(savePath("export", "форма.xlsx", s)).toBe("/home/school/Выгрузка/форма.xlsx");
    expect(savePath("form", "форма.xlsx", s)).toBe("форма.xlsx");
    // A bare file name has no folder: nothing is forgotten for it.
    remember("roster", "7Б.csv", false, s);
    expect(rememberedFolder("roster", s)).toBe("/media/usb/списки");
  });
});
