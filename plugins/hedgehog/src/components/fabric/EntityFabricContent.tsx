import {
  useEntity,
  MissingAnnotationEmptyState,
} from '@backstage/plugin-catalog-react';
import { ANNOTATION_GITOPS_LOCATION } from '@fabric-gitops/plugin-hedgehog-common';
import { fabricNameOf, isHedgehogFabricAvailable } from '../../predicates';
import { FabricView, FabricViewProps } from './FabricView';

/**
 * The "Fabric" tab of a fabric entity.
 *
 * @public
 */
export function EntityFabricContent(props: Omit<FabricViewProps, 'fabric'>) {
  const { entity } = useEntity();
  if (!isHedgehogFabricAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={ANNOTATION_GITOPS_LOCATION} />
    );
  }
  return <FabricView {...props} fabric={fabricNameOf(entity)} />;
}
