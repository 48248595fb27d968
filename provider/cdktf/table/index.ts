// https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/table
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface TableConfig extends cdktf.TerraformMetaArguments {
  /**
  * The namespace that owns the table's dataset. Changing it replaces the contract.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/table#namespace Table#namespace}
  */
  readonly namespace: string;
  /**
  * BigQuery dataset id, e.g. `retail_sales`. Changing it replaces the contract.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/table#dataset Table#dataset}
  */
  readonly dataset: string;
  /**
  * BigQuery table id, e.g. `orders`. Changing it replaces the contract.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/table#table Table#table}
  */
  readonly table: string;
  /**
  * The JSON of `bq show --format=prettyjson project:dataset.table` (or its `schema`, or `schema.fields`), e.g. `file("retail_sales/orders/schema.json")`. Compared by meaning: key order, whitespace and type aliases (INT64/INTEGER) are no change.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/table#schema_json Table#schema_json}
  */
  readonly schemaJson: string;
  /**
  * How loads write the table: `WRITE_APPEND`, `WRITE_TRUNCATE` or `MODE_DELTA` (a MERGE on `keys`).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/table#feed_type Table#feed_type}
  */
  readonly feedType: string;
  /**
  * Top-level columns identifying a row; required for `MODE_DELTA` unless the schema declares a primary key (then that is the default).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/table#keys Table#keys}
  */
  readonly keys?: string[];
  /**
  * The contract's description; defaults to the `description` of the `bq show` document.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/table#description Table#description}
  */
  readonly description?: string;
  /**
  * Labels (owner, layer…), as on flows; platform policies can read them. A change of labels alone is a patch version. Defaults to none.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/table#labels Table#labels}
  */
  readonly labels?: { [key: string]: string };
  /**
  * Raise it (e.g. from 1 to 2) to accept a breaking change: the contract then moves to `<major_version>.0.0`. Otherwise versions are bumped automatically (minor for compatible changes, patch for descriptions).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/table#major_version Table#major_version}
  */
  readonly majorVersion?: number;
}

/**
* Represents a {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/table meshplane_table}
*/
export class Table extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "meshplane_table";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a Table resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Table to import
  * @param importFromId The id of the existing Table that should be imported. Refer to the {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/table#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Table to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "meshplane_table", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/table meshplane_table} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options TableConfig
  */
  public constructor(scope: Construct, id: string, config: TableConfig) {
    super(scope, id, {
      terraformResourceType: 'meshplane_table',
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
    this._dataset = config.dataset;
    this._table = config.table;
    this._schemaJson = config.schemaJson;
    this._feedType = config.feedType;
    this._keys = config.keys;
    this._description = config.description;
    this._labels = config.labels;
    this._majorVersion = config.majorVersion;
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

  // dataset - computed: false, optional: false, required: true
  private _dataset?: string; 
  public get dataset() {
    return this.getStringAttribute('dataset');
  }
  public set dataset(value: string) {
    this._dataset = value;
  }
  // Temporarily expose input value. Use with caution.
  public get datasetInput() {
    return this._dataset;
  }

  // table - computed: false, optional: false, required: true
  private _table?: string; 
  public get table() {
    return this.getStringAttribute('table');
  }
  public set table(value: string) {
    this._table = value;
  }
  // Temporarily expose input value. Use with caution.
  public get tableInput() {
    return this._table;
  }

  // schema_json - computed: false, optional: false, required: true
  private _schemaJson?: string; 
  public get schemaJson() {
    return this.getStringAttribute('schema_json');
  }
  public set schemaJson(value: string) {
    this._schemaJson = value;
  }
  // Temporarily expose input value. Use with caution.
  public get schemaJsonInput() {
    return this._schemaJson;
  }

  // feed_type - computed: false, optional: false, required: true
  private _feedType?: string; 
  public get feedType() {
    return this.getStringAttribute('feed_type');
  }
  public set feedType(value: string) {
    this._feedType = value;
  }
  // Temporarily expose input value. Use with caution.
  public get feedTypeInput() {
    return this._feedType;
  }

  // keys - computed: true, optional: true, required: false
  private _keys?: string[]; 
  public get keys() {
    return this.getListAttribute('keys');
  }
  public set keys(value: string[]) {
    this._keys = value;
  }
  public resetKeys() {
    this._keys = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get keysInput() {
    return this._keys;
  }

  // description - computed: true, optional: true, required: false
  private _description?: string; 
  public get description() {
    return this.getStringAttribute('description');
  }
  public set description(value: string) {
    this._description = value;
  }
  public resetDescription() {
    this._description = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get descriptionInput() {
    return this._description;
  }

  // labels - computed: true, optional: true, required: false
  private _labels?: { [key: string]: string }; 
  public get labels() {
    return this.getStringMapAttribute('labels');
  }
  public set labels(value: { [key: string]: string }) {
    this._labels = value;
  }
  public resetLabels() {
    this._labels = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get labelsInput() {
    return this._labels;
  }

  // major_version - computed: false, optional: true, required: false
  private _majorVersion?: number; 
  public get majorVersion() {
    return this.getNumberAttribute('major_version');
  }
  public set majorVersion(value: number) {
    this._majorVersion = value;
  }
  public resetMajorVersion() {
    this._majorVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get majorVersionInput() {
    return this._majorVersion;
  }

  // version - computed: true, optional: false, required: false
  public get version() {
    return this.getStringAttribute('version');
  }

  // =========
  // SYNTHESIS
  // =========

  protected override synthesizeAttributes(): { [name: string]: any } {
    return {
      namespace: cdktf.stringToTerraform(this._namespace),
      dataset: cdktf.stringToTerraform(this._dataset),
      table: cdktf.stringToTerraform(this._table),
      schema_json: cdktf.stringToTerraform(this._schemaJson),
      feed_type: cdktf.stringToTerraform(this._feedType),
      keys: cdktf.listMapper(cdktf.stringToTerraform, false)(this._keys),
      description: cdktf.stringToTerraform(this._description),
      labels: cdktf.hashMapper(cdktf.stringToTerraform)(this._labels),
      major_version: cdktf.numberToTerraform(this._majorVersion),
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
      dataset: {
        value: cdktf.stringToHclTerraform(this._dataset),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      table: {
        value: cdktf.stringToHclTerraform(this._table),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      schema_json: {
        value: cdktf.stringToHclTerraform(this._schemaJson),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      feed_type: {
        value: cdktf.stringToHclTerraform(this._feedType),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      keys: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._keys),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      description: {
        value: cdktf.stringToHclTerraform(this._description),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      labels: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._labels),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      major_version: {
        value: cdktf.numberToHclTerraform(this._majorVersion),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
