// https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/data-sources/flow
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DataMeshplaneFlowConfig extends cdktf.TerraformMetaArguments {
  /**
  * The flow's namespace.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/data-sources/flow#namespace DataMeshplaneFlow#namespace}
  */
  readonly namespace: string;
  /**
  * The flow's id.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/data-sources/flow#flow_id DataMeshplaneFlow#flow_id}
  */
  readonly flowId: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/data-sources/flow meshplane_flow}
*/
export class DataMeshplaneFlow extends cdktf.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "meshplane_flow";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DataMeshplaneFlow resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataMeshplaneFlow to import
  * @param importFromId The id of the existing DataMeshplaneFlow that should be imported. Refer to the {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/data-sources/flow#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataMeshplaneFlow to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "meshplane_flow", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/data-sources/flow meshplane_flow} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataMeshplaneFlowConfig
  */
  public constructor(scope: Construct, id: string, config: DataMeshplaneFlowConfig) {
    super(scope, id, {
      terraformResourceType: 'meshplane_flow',
      terraformGeneratorMetadata: {
        providerName: 'meshplane',
        providerVersion: '0.1.0',
        providerVersionConstraint: '~> 0.1'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._namespace = config.namespace;
    this._flowId = config.flowId;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // namespace - computed: false, optional: false, required: true
  private _namespace?: string; 
  public get namespace() {
    return this.getStringAttribute('namespace');
  }
  public set namespace(value: string) {
    this._namespace = value;
  }
  // Temporarily expose input value. Use with caution.
  public get namespaceInput() {
    return this._namespace;
  }

  // flow_id - computed: false, optional: false, required: true
  private _flowId?: string; 
  public get flowId() {
    return this.getStringAttribute('flow_id');
  }
  public set flowId(value: string) {
    this._flowId = value;
  }
  // Temporarily expose input value. Use with caution.
  public get flowIdInput() {
    return this._flowId;
  }

  // source - computed: true, optional: false, required: false
  public get source() {
    return this.getStringAttribute('source');
  }

  // revision - computed: true, optional: false, required: false
  public get revision() {
    return this.getNumberAttribute('revision');
  }

  // description - computed: true, optional: false, required: false
  public get description() {
    return this.getStringAttribute('description');
  }

  // labels - computed: true, optional: false, required: false
  private _labels = new cdktf.StringMap(this, "labels");
  public get labels() {
    return this._labels;
  }

  // disabled - computed: true, optional: false, required: false
  public get disabled() {
    return this.getBooleanAttribute('disabled');
  }

  // =========
  // SYNTHESIS
  // =========

  protected override synthesizeAttributes(): { [name: string]: any } {
    return {
      namespace: cdktf.stringToTerraform(this._namespace),
      flow_id: cdktf.stringToTerraform(this._flowId),
    };
  }

  protected override synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      namespace: {
        value: cdktf.stringToHclTerraform(this._namespace),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      flow_id: {
        value: cdktf.stringToHclTerraform(this._flowId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
