import { imageCatalog } from '../catalog/index.ts';

export interface ImageSpec {
  imageId: string;
  osName: string;
  osNameEn: string;
  platform: string;
  osType: 'linux' | 'windows';
  architecture: string;
  size: number;
  /** The guest OS as os-release `ID:VERSION_ID` (alinux:3, ubuntu:22.04, windows:2022, ...). */
  distro: string;
}

/** The public-image catalog is data (src/catalog/images.json). */
export const images: readonly ImageSpec[] = imageCatalog;

const byId = new Map(images.map((i) => [i.imageId, i]));

export function findImage(id: string): ImageSpec | undefined {
  return byId.get(id);
}
