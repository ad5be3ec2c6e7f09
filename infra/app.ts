/**
 * The CDK app (`npm run infra:synth`, or `npx cdk deploy` with the AWS CDK CLI): synthesizes the
 * CloudFormation template into infra/cdk.out, offline — no AWS account or network needed.
 */
import { App } from 'aws-cdk-lib';
import { configFrom } from './config.js';
import { FEATURE_FLAGS, ImagesStack, IpregStack } from './stack.js';

// The CDK CLI says where to write (CDK_OUTDIR, which App reads itself); run by hand, infra/cdk.out.
const app = new App({ outdir: new URL('./cdk.out', import.meta.url).pathname, context: FEATURE_FLAGS });
const config = configFrom((key) => app.node.tryGetContext(key));
const images = new ImagesStack(app, 'IpregImages', config);
new IpregStack(app, 'Ipreg', config, images.repository);
app.synth();
