/** Which configs are video instance segmentation ones (`model.type`): MaskTrack R-CNN and the default person-mask demo. */
import { type ConfigDict, getConfigPath } from '../../config/config-value.ts';

export const VIS_MODEL_TYPES: readonly string[] = ['MaskTrackRCNN', 'PersonMaskDemo'];

export function isVisConfig(config: ConfigDict): boolean {
  const type = getConfigPath(config, 'model.type');
  return typeof type === 'string' && VIS_MODEL_TYPES.includes(type);
}
