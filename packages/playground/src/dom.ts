/** The page's elements, looked up by id (the ids are index.html's, and the tests' too). */

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
