/*
 * The bad-input corpus of section 1: raw files (and a few managed files) that
 * users could drop into a fabric's raw/ folder, each with what the sync must do
 * with it. Every case becomes its own fabric (its own repository). One file of
 * this folder per group of cases; this one puts them together, in order.
 */
import { BadInputCase } from './badInputCase';
import { documentShapeCases } from './documentShapes';
import { fileAndFolderNameCases } from './fileAndFolderNames';
import { malformedYamlCases } from './malformedYaml';
import { metadataCases } from './metadata';
import { multiDocumentAndConflictCases } from './multiDocumentAndConflicts';
import { sizeAndEncodingCases } from './sizeAndEncoding';
import { symlinkCases } from './symlinks';
import { versionKindGroupCases } from './versionsKindsGroups';

export { sg, VPC_API, WIRING } from './badInputCase';
export type { BadInputCase, Outcome } from './badInputCase';

export function badInputCorpus(outsideFile: string): BadInputCase[] {
  return [
    // ---- malformed YAML --------------------------------------------------------
    ...malformedYamlCases(),
    // ---- size, encoding, bytes -------------------------------------------------
    ...sizeAndEncodingCases(),
    // ---- document shapes ----------------------------------------------------------
    ...documentShapeCases(),
    // ---- versions, kinds, groups ---------------------------------------------------
    ...versionKindGroupCases(),
    // ---- metadata ------------------------------------------------------------------
    ...metadataCases(),
    // ---- multi-document and conflicts -----------------------------------------------
    ...multiDocumentAndConflictCases(),
    // ---- symlinks ------------------------------------------------------------------------
    ...symlinkCases(outsideFile),
    // ---- file and folder names -----------------------------------------------------------
    ...fileAndFolderNameCases(),
  ];
}
